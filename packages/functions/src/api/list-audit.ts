import { decodeAuditCursor } from "@mission-mail/core/audit/audit-log";
import { AppError } from "@mission-mail/core/shared/errors";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/**
 * GET /api/staff/audit?limit=&before=: the audit log of staff actions, newest first. Each entry says
 * who (sub and address), what (action, target id, key fields) and when. `next`, when present, is the
 * `before` of the following page.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError(400, "invalid_request", `limit must be a whole number from 1 to ${MAX_LIMIT}.`, [{ field: "limit", message: `a whole number from 1 to ${MAX_LIMIT}` }]);
  }
  const before = query.before;
  if (before !== undefined && !decodeAuditCursor(before)) {
    throw new AppError(400, "invalid_request", "before is not a cursor this API gave out; use the next of a previous page.", [{ field: "before", message: "not a cursor from this API" }]);
  }
  const page = await d.audit.list({ limit, ...(before !== undefined ? { before } : {}) });
  return json(200, page.next ? { entries: page.entries, next: page.next } : { entries: page.entries });
});
