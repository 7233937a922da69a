import { exportSubscribers } from "@mission-mail/core/subscription/export-subscribers";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { auditLog } from "../../wiring/audit";
import { requireStaff } from "../../wiring/staff";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/subscribers/export?limit=&after=: a page of the active subscribers with their
 * choices (no tokens), 500 (at most 1000) at a time; `next` is the `after` of the following page.
 * Every page is audited.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const query = event.queryStringParameters ?? {};
  const page = await exportSubscribers({ directory: subscriberStore(w), audit: auditLog(w), clock: w.platform.clock, ids: w.platform.ids }, staff, {
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.after !== undefined ? { after: query.after } : {}),
  });
  return json(200, page);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
