import { createAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementBody } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements: creates a draft from `{ title, body, missions, event?, cta? }` (title
 * and body per language, sv and/or en; the body is markdown). 201 with the draft; 400 with `fields`
 * for bad input, 422 `unknown_missions`; nothing is stored for a refused request.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const view = await createAnnouncement(announcing(w), staff, announcementBody(event));
  return json(201, view, { location: `/api/staff/announcements/${view.id}` });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
