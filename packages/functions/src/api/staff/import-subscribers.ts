import { MAX_IMPORT_BYTES, importSubscribers } from "@mission-mail/core/subscription/import-subscribers";
import { httpRoute, json, jsonBody, type HttpEvent } from "../../lib/http";
import { logger } from "../../lib/logger";
import { requireStaff } from "../../wiring/staff";
import { importing } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/subscribers/import `{ importId, dryRun?, rows: [...] }` (at most 500 rows): imports
 * a batch of subscribers and answers 200 with a result per row (by line) and the counts. The public
 * per-IP sign-up limit does not apply; everything else does. Audited with counts only.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const body = jsonBody(event, { maxBytes: MAX_IMPORT_BYTES });
  const result = await importSubscribers(
    importing(w, (line, err) => logger.error("import row failed", { line, error: err as Error })),
    staff,
    body,
  );
  return json(200, result);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
