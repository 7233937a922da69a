import { cancelAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/cancel: cancels a draft, a scheduled send (its schedule is
 * removed) or the rest of a send in progress. 200 with the state (also on a repeat); 409 `already_done`.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const { status, view } = await cancelAnnouncement(announcing(w), staff, announcementId(event));
  return json(status, view);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
