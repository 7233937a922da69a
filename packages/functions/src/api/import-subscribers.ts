import { AppError } from "@mission-mail/core/shared/errors";
import { MAX_IMPORT_BYTES, importSubscribers } from "@mission-mail/core/subscription/import-subscribers";
import { deps } from "../lib/deps";
import { httpHandler, json, rawBody } from "../lib/http";
import { logger } from "../lib/logger";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/subscribers/import `{ importId, dryRun?, rows: [...] }` (at most 500 rows): imports
 * a batch of subscribers and answers 200 with a result per row (by line) and the counts. The public
 * per-IP sign-up limit does not apply; everything else does. Audited with counts only.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const text = rawBody(event, MAX_IMPORT_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
  const result = await importSubscribers(
    {
      store: d.store,
      limiter: d.store,
      queue: d.queue,
      audit: d.audit,
      clock: d.clock,
      ids: d.ids,
      stats: d.stats,
      onRowError: (line, err) => logger.error("import row failed", { line, error: err as Error }),
      settings: { addressPepper: d.config.ADDRESS_PEPPER, rateLimitPerAddress: d.config.RATE_LIMIT_PER_ADDRESS, rateWindowSeconds: d.config.RATE_WINDOW_SECONDS },
    },
    staff,
    body,
  );
  return json(200, result);
});
