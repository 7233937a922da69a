import { cancelDigestRun } from "@mission-mail/core/digest/runs";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { runControl } from "../../wiring/digest";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/runs/{id}/cancel (publisher): stops the rest of a paused or sending digest run; the
 * batches not yet sent are completed with their recipients skipped (`cancelled`). Recorded in the
 * audit log. 200 with the run's state and how many batches and recipients were cancelled (also for a
 * run cancelled already, with zero); 404 `run_not_found`; 409 `not_active` for a run that is done,
 * failed or not planned yet.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  return json(200, await cancelDigestRun(runControl(w), staff, event.pathParameters?.id ?? ""));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
