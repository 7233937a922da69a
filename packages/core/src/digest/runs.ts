import { recordStaffAction, type AuditLog } from "../audit";
import type { CampaignOutbox } from "../campaigns";
import type { Clock, Ids, JobQueue } from "../platform/ports";
import type { PlanJob } from "../shared/jobs";
import type { StaffIdentity } from "../staff";
import { digestPeriod, type DigestCadence } from "./calendar";
import { digestCampaignKey } from "./plan-digest";
import type { DigestRunStore } from "./ports";
import { runStatus, type RunStatus } from "./run-status";

export interface StartDigestRunDeps {
  runs: DigestRunStore;
  audit: AuditLog;
  planQueue: JobQueue<PlanJob>;
  clock: Clock;
  ids: Ids;
}

/**
 * Starts a digest run for the current period of `cadence`, as the schedule would: records the run
 * (queued), records in the audit log who started it, and only then queues the planning job.
 * Running a period again plans only subscribers not yet planned for it. Answers the run id and its
 * campaign.
 */
export async function startDigestRun(deps: StartDigestRunDeps, staff: StaffIdentity, cadence: DigestCadence): Promise<{ runId: string; campaign: string }> {
  const runId = deps.ids.next();
  const period = digestPeriod(cadence, deps.clock.now());
  const campaign = digestCampaignKey(cadence, period);
  await deps.runs.putRun({ runId, cadence, period, campaign, state: "queued", planned: 0, empty: 0, createdAt: new Date(deps.clock.now()).toISOString() });
  await recordStaffAction(deps, staff, "digest.run", runId, { cadence, period, campaign });
  await deps.planQueue.enqueue({ kind: "plan-digest", cadence, runId, period });
  return { runId, campaign };
}

export interface RunStatusDeps {
  runs: Pick<DigestRunStore, "getRun" | "listRuns">;
  outbox: Pick<CampaignOutbox, "getCampaign">;
}

/** Run ids are short and URL-safe; anything else is not one. */
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A digest run with its campaign's state and counters, or undefined for an unknown (or malformed) id. */
export async function getRunStatus(deps: RunStatusDeps, runId: string): Promise<RunStatus | undefined> {
  const run = RUN_ID.test(runId) ? await deps.runs.getRun(runId) : undefined;
  return run && runStatus(run, await deps.outbox.getCampaign(run.campaign));
}

/** The latest `limit` digest runs, newest first, each with its campaign's state and counters. */
export async function listRunStatuses(deps: RunStatusDeps, limit: number): Promise<RunStatus[]> {
  const runs = await deps.runs.listRuns(limit);
  const campaigns = await Promise.all(runs.map((r) => deps.outbox.getCampaign(r.campaign)));
  return runs.map((r, i) => runStatus(r, campaigns[i]));
}
