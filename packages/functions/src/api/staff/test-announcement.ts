import { testSendAnnouncement } from "@mission-mail/core/announcements/test-send";
import { announcementBody, announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { testSending } from "../../wiring/announcement-emails";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/test `{ "to": [at most 10 addresses], "languages"?: ["sv","en"] }`:
 * sends a visibly marked test ("[TEST]" subject, a banner) to those addresses only, at once, within
 * the account's send rate. Answers `{ sent, suppressed, failed, languages }`. The addresses are never
 * stored, queued or logged.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const result = await testSendAnnouncement(
    testSending(w),
    staff,
    announcementId(event),
    announcementBody(event),
  );
  return json(200, result);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
