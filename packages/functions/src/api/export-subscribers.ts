import { exportSubscribers } from "@mission-mail/core/subscription/export-subscribers";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/subscribers/export?limit=&after=: a page of the active subscribers with their
 * choices (no tokens), 500 (at most 1000) at a time; `next` is the `after` of the following page.
 * Every page is audited.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const query = event.queryStringParameters ?? {};
  const page = await exportSubscribers({ directory: d.store, audit: d.audit, clock: d.clock, ids: d.ids }, staff, {
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.after !== undefined ? { after: query.after } : {}),
  });
  return json(200, page);
});
