import { pauseAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/pause: holds the batches not yet sent until staff resume or cancel.
 * 200 with the state (also when it was paused already); 409 `not_sending` if nothing is being sent.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const { status, view } = await pauseAnnouncement(announcing(w), staff, announcementId(event));
  return json(status, view);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
