import { checkAnnouncement } from "@mission-mail/core/announcements/review";
import { announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { checking } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/announcements/{id}/checks: runs the pre-send checks on the saved announcement and
 * answers every finding (`error` blocks a send, `warning` needs acknowledging), the audience per
 * language and the four-eyes status. Changes nothing; a POST because it requests the links.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  return json(200, await checkAnnouncement(checking(w), announcementId(event)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
