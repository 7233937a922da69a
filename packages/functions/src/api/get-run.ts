import { AppError } from "@mission-mail/core/shared/errors";
import { runStatus } from "@mission-mail/core/digest/run-status";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/runs/{id}: a digest run's state and the counters of its campaign. `state` is
 * queued, planning, sending, paused, cancelled, done or failed; `skipped` includes subscribers whose
 * digest was empty.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const runId = event.pathParameters?.id ?? "";
  const run = /^[A-Za-z0-9_-]{1,64}$/.test(runId) ? await d.runs.getRun(runId) : undefined;
  if (!run) throw new AppError(404, "run_not_found", `No digest run with id "${runId.slice(0, 64)}".`);
  return json(200, runStatus(run, await d.outbox.getCampaign(run.campaign)));
});
