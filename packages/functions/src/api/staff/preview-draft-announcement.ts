import { previewDraft } from "@mission-mail/core/announcements/announcement";
import { announcementBody } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { requireStaff } from "../../wiring/staff";
import { previewing } from "../../wiring/announcement-emails";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/preview?lang=sv|en: the same preview for a draft that is not saved
 * (the console's live preview while composing); missions may be left out. Nothing is stored.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const preview = await previewDraft(previewing(w), announcementBody(event), event.queryStringParameters?.lang);
  return json(200, preview);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
