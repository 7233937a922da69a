import { getAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementDeps, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/announcements/{id}: the announcement, its state (draft, scheduled, sending, paused,
 * cancelled, done), why it is paused, its progress and counters: audience, sent, failed, skipped,
 * delivered, bounced, complained, unsubscribed. Before sending, `audience` is today's estimate.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  return json(200, await getAnnouncement(announcementDeps(d), announcementId(event)));
});
