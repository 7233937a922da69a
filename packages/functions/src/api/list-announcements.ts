import { listAnnouncements } from "@mission-mail/core/announcements/announcement";
import { decodeAnnouncementCursor } from "@mission-mail/core/announcements/dynamo-announcements";
import { AppError } from "@mission-mail/core/shared/errors";
import { announcementDeps } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/**
 * GET /api/staff/announcements?limit=&before=: announcements newest first, with state and counters
 * (without their bodies), 20 (at most 50) at a time; `next` is the `before` of the next page.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError(400, "validation_failed", `limit must be a whole number from 1 to ${MAX_LIMIT}.`, [{ field: "limit", message: `a whole number from 1 to ${MAX_LIMIT}` }]);
  }
  if (query.before !== undefined && !decodeAnnouncementCursor(query.before)) {
    throw new AppError(400, "validation_failed", "before is not a cursor this API gave out; use the next of a previous page.", [{ field: "before", message: "not a cursor from this API" }]);
  }
  return json(200, await listAnnouncements(announcementDeps(d), { limit, ...(query.before !== undefined ? { before: query.before } : {}) }));
});
