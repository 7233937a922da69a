import { getAnnouncement } from "@mission-mail/core/announcements/announcement";
import { announcementId } from "../../lib/announcements";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/announcements/{id}: the announcement, its state (draft, scheduled, sending, paused,
 * cancelled, done), why it is paused, its progress and counters: audience, sent, failed, skipped,
 * delivered, bounced, complained, unsubscribed. Before sending, `audience` is today's estimate.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  return json(200, await getAnnouncement(announcing(w), announcementId(event)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
