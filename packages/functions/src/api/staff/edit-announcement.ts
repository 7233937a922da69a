import { editAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementBody, announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * PUT /api/staff/announcements/{id}: replaces a draft's content (the same body as creating one, plus
 * the `version` it was read at). 409 `version_conflict` if someone changed it since, 409
 * `not_editable` once it is being sent.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  return json(200, await editAnnouncement(announcing(w), staff, announcementId(event), announcementBody(event)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
