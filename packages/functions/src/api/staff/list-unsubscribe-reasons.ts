import { departureSummary } from "@mission-mail/core/departures/departure-reasons";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { departureAnswers } from "../../wiring/departures";
import { requireStaff } from "../../wiring/staff";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/unsubscribe-reasons?mission=&from=YYYY-MM-DD&to=YYYY-MM-DD: why people left, per
 * mission and reason in the period (default the last 30 days), with the free texts given. No
 * addresses: the answers never held any.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const q = event.queryStringParameters ?? {};
  const query = { ...(q.mission ? { mission: q.mission } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
  return json(200, await departureSummary({ answers: departureAnswers(w), store: subscriberStore(w), clock: w.platform.clock }, query));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
