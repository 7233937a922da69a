import { listRunStatuses } from "@mission-mail/core/digest/runs";
import { httpRoute, json, pageParams, type HttpEvent } from "../../lib/http";
import { requireStaff } from "../../wiring/staff";
import { runStatuses } from "../../wiring/digest";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /api/staff/runs?limit=20: the latest digest runs, newest first, each with its campaign's state and counters. */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const { limit } = pageParams(event, { fallback: 20, max: 100 });
  return json(200, { runs: await listRunStatuses(runStatuses(w), limit) });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
