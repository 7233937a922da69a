import { previewAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { compileAnnouncement } from "../lib/planning";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/announcements/{id}/preview?lang=sv|en: the email a reader of that language gets,
 * `{ subject, html, text, fallback }` (`fallback`: the announcement lacks the language, so the other
 * one is shown with a note). Links to preferences and unsubscribing lead to the public site.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const preview = await previewAnnouncement({ ...announcementDeps(d), compile: compileAnnouncement, publicUrl: d.config.PUBLIC_URL }, announcementId(event), event.queryStringParameters?.lang);
  return json(200, preview);
});
