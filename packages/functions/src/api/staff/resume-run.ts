import { resumeDigestRun } from "@mission-mail/core/digest/runs";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { runControl } from "../../wiring/digest";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/runs/{id}/resume (publisher): sends the rest of a paused digest run, enqueuing the
 * batches not yet sent at once; each recipient still gets it at most once. Recorded in the audit log.
 * 200 with the run's state and how many batches and recipients were still to send; 404
 * `run_not_found`; 409 `not_paused` for a run that is not paused.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  return json(200, await resumeDigestRun(runControl(w), staff, event.pathParameters?.id ?? ""));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
