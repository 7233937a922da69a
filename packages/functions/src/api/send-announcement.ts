import { sendAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementBody, announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements/{id}/send, optionally `{ "at": "2026-12-01T09:00" }` (Stockholm wall
 * time): sends now or schedules. 202 with the state when it starts or is scheduled; 200 with the
 * current state on a repeat (a double click, a retried request), which never sends twice. 422 for a
 * time that has passed or that the clocks skip or repeat that night.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const { status, view } = await sendAnnouncement(announcementDeps(d), staff, announcementId(event), announcementBody(event, { emptyIsObject: true }));
  return json(status, view);
});
