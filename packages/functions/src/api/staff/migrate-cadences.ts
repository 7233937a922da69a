import { migrateCadences } from "@mission-mail/core/subscription/migrate-cadences";
import { httpRoute, json, jsonBody, type HttpEvent } from "../../lib/http";
import { auditLog } from "../../wiring/audit";
import { requireStaff } from "../../wiring/staff";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/migrations/cadence-by-mission `{ limit?, after? }`: one page of the one-off
 * cadence-by-mission migration; `next` is the `after` of the following page. Every page is audited.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const body = jsonBody(event, { emptyIsObject: true });
  const page = await migrateCadences({ directory: subscriberStore(w), audit: auditLog(w), clock: w.platform.clock, ids: w.platform.ids }, staff, body);
  return json(200, page);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
