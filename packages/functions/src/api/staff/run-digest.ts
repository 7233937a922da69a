import { startDigestRun } from "@mission-mail/core/digest/runs";
import { RunDigestRequest } from "../../lib/digest-run-request";
import { httpRoute, invalidRequest, json, jsonBody, type HttpEvent } from "../../lib/http";
import { digestStarting } from "../../wiring/digest";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/digests/run `{"cadence"}`: plans the current period's digest now, as the schedule
 * would. Answers 202 with a run id to poll; planning happens on the plan queue. Running a period
 * again plans only subscribers not yet planned for it. The run is recorded in the audit log, with who
 * started it, before it is queued.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const parsed = RunDigestRequest.safeParse(jsonBody(event));
  if (!parsed.success) throw invalidRequest(parsed.error, "invalid_request");
  const { runId, campaign } = await startDigestRun(digestStarting(w), staff, parsed.data.cadence);
  return json(202, { runId, campaign, status: `/api/staff/runs/${runId}` });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
