import { pauseAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements/{id}/pause: holds the batches not yet sent until staff resume or cancel.
 * 200 with the state (also when it was paused already); 409 `not_sending` if nothing is being sent.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const { status, view } = await pauseAnnouncement(announcementDeps(d), staff, announcementId(event));
  return json(status, view);
});
