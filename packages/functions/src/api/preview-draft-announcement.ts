import { previewDraft } from "@mission-mail/core/announcements/announcement";
import { announcementBody } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { compileAnnouncement } from "../lib/planning";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements/preview?lang=sv|en: the same preview for a draft that is not saved
 * (the console's live preview while composing); missions may be left out. Nothing is stored.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const preview = await previewDraft({ store: d.store, compile: compileAnnouncement, publicUrl: d.config.PUBLIC_URL }, announcementBody(event), event.queryStringParameters?.lang);
  return json(200, preview);
});
