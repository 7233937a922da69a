import { refuseAnnouncement } from "@mission-mail/core/announcements/review";
import { announcementBody, announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/refuse `{ "reason": "…" }`: a publisher refuses a draft, saying
 * why; the author's next edit clears it. The same four-eyes rule as approving.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  return json(200, await refuseAnnouncement(announcing(w), staff, announcementId(event), announcementBody(event)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
