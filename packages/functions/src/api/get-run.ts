import { AppError } from "@mission-mail/core/errors";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/runs/{id}: a digest run's state and the counters of its campaign. `state` is
 * queued, planning, sending, done or failed; `skipped` includes subscribers whose digest was empty.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const runId = event.pathParameters?.id ?? "";
  const run = /^[A-Za-z0-9_-]{1,64}$/.test(runId) ? await d.outbox.getRun(runId) : undefined;
  if (!run) throw new AppError(404, "run_not_found", `No digest run with id "${runId.slice(0, 64)}".`);
  const campaign = await d.outbox.getCampaign(run.campaign);
  const state = run.state === "queued" || run.state === "planning" || run.state === "failed" ? run.state : campaign?.state === "done" ? "done" : (campaign?.state ?? "sending");
  return json(200, {
    runId: run.runId,
    campaign: run.campaign,
    cadence: run.cadence,
    period: run.period,
    state,
    planned: campaign?.planned ?? 0,
    sent: campaign?.sent ?? 0,
    skipped: (campaign?.skipped ?? 0) + run.empty,
    failed: campaign?.failed ?? 0,
    createdAt: run.createdAt,
    ...(run.error ? { error: run.error } : {}),
  });
});
