import { getRunStatus } from "@mission-mail/core/digest/runs";
import { AppError } from "@mission-mail/core/shared/errors";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { requireStaff } from "../../wiring/staff";
import { runStatuses } from "../../wiring/digest";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/runs/{id}: a digest run's state and the counters of its campaign. `state` is
 * queued, planning, sending, paused, cancelled, done or failed; `skipped` includes subscribers whose
 * digest was empty.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const runId = event.pathParameters?.id ?? "";
  const status = await getRunStatus(runStatuses(w), runId);
  if (!status) throw new AppError(404, "run_not_found", `No digest run with id "${runId.slice(0, 64)}".`);
  return json(200, status);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
