import { previewAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { requireStaff } from "../../wiring/staff";
import { previewing } from "../../wiring/announcement-emails";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/announcements/{id}/preview?lang=sv|en: the email a reader of that language gets,
 * `{ subject, html, text, fallback }` (`fallback`: the announcement lacks the language, so the other
 * one is shown with a note). Links to preferences and unsubscribing lead to the public site.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const preview = await previewAnnouncement(previewing(w), announcementId(event), event.queryStringParameters?.lang);
  return json(200, preview);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
