import { reviewAnnouncement } from "@mission-mail/core/announcements/review";
import { announcementBody, announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/approve, `{}` to approve or `{ "decision": "refuse", "reason": "…" }`
 * to refuse: a publisher's decision on a draft. 403 `four_eyes` from the author of the last edit,
 * 403 `role_required` without the publisher role; answers the announcement with its `review`.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  return json(200, await reviewAnnouncement(announcing(w), staff, announcementId(event), announcementBody(event, { emptyIsObject: true })));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
