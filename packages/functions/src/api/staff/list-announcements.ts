import { listAnnouncements } from "@mission-mail/core/announcements/announcement";
import { decodeAnnouncementCursor } from "@mission-mail/core/announcements/dynamo-announcements";
import { httpRoute, json, pageParams, type HttpEvent } from "../../lib/http";
import { announcing } from "../../wiring/announcements";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/**
 * GET /api/staff/announcements?limit=&before=: announcements newest first, with state and counters
 * (without their bodies), 20 (at most 50) at a time; `next` is the `before` of the next page.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const { limit, cursor: before } = pageParams(event, { fallback: DEFAULT_LIMIT, max: MAX_LIMIT, validCursor: (c) => !!decodeAnnouncementCursor(c) });
  return json(200, await listAnnouncements(announcing(w), { limit, ...(before !== undefined ? { before } : {}) }));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
