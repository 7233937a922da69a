import { resumeAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements/{id}/resume: sends the rest of a paused announcement, enqueuing its
 * remaining batches at once. 200 with the state (also when it was not paused); 409 `not_paused` otherwise.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const { status, view } = await resumeAnnouncement(announcementDeps(d), staff, announcementId(event));
  return json(status, view);
});
