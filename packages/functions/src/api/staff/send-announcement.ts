import { sendAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementBody, announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/send, optionally `{ "at": "2026-12-01T09:00" }` (Stockholm wall
 * time): sends now or schedules. 202 with the state when it starts or is scheduled; 200 with the
 * current state on a repeat (a double click, a retried request), which never sends twice. 422 for a
 * time that has passed or that the clocks skip or repeat that night.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const { status, view } = await sendAnnouncement(announcing(w), staff, announcementId(event), announcementBody(event, { emptyIsObject: true }));
  return json(status, view);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
