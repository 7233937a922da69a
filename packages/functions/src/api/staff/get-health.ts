import { serviceHealth } from "@mission-mail/core/health/service-health";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { requireStaff } from "../../wiring/staff";
import { healthReading, healthSettings } from "../../wiring/health";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/health: the service's health: complaint and bounce rates over 7 and 30 days against
 * their thresholds, suppressions by reason, dead-letter queue depths, the latest digest runs and
 * drafts waiting for an approval, each with a status. For the console's health view and `mm health`.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  return json(200, await serviceHealth(healthReading(w), healthSettings(w)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
