import { createAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementBody, announcementDeps } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements: creates a draft from `{ title, body, missions, event?, cta? }` (title
 * and body per language, sv and/or en; the body is markdown). 201 with the draft; 400 with `fields`
 * for bad input, 422 `unknown_missions`; nothing is stored for a refused request.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const view = await createAnnouncement(announcementDeps(d), staff, announcementBody(event));
  return json(201, view, { location: `/api/staff/announcements/${view.id}` });
});
