import { resumeAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/resume: sends the rest of a paused announcement, enqueuing its
 * remaining batches at once. 200 with the state (also when it was not paused); 409 `not_paused` otherwise.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const { status, view } = await resumeAnnouncement(announcing(w), staff, announcementId(event));
  return json(status, view);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
