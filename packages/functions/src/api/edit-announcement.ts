import { editAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementBody, announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * PUT /api/staff/announcements/{id}: replaces a draft's content (the same body as creating one, plus
 * the `version` it was read at). 409 `version_conflict` if someone changed it since, 409
 * `not_editable` once it is being sent.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  return json(200, await editAnnouncement(announcementDeps(d), staff, announcementId(event), announcementBody(event)));
});
