import { cancelAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements/{id}/cancel: cancels a draft, a scheduled send (its schedule is
 * removed) or the rest of a send in progress. 200 with the state (also on a repeat); 409 `already_done`.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const { status, view } = await cancelAnnouncement(announcementDeps(d), staff, announcementId(event));
  return json(status, view);
});
