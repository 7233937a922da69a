import { recordStaffAction, type AuditLog } from "../audit";
import type { CampaignControl } from "../announcements";
import { requeueUnsentBatches, type BatchOutbox, type CampaignOutbox } from "../campaigns";
import { AppError } from "../shared/errors";
import type { Clock, Ids, JobQueue, MailQueue } from "../platform/ports";
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

/** What resuming or cancelling a digest run needs: its run, control over its campaign, the send queue and the audit log. */
export interface RunControlDeps {
  runs: Pick<DigestRunStore, "getRun">;
  campaigns: CampaignControl;
  outbox: Pick<BatchOutbox, "postpone">;
  sendQueue: MailQueue;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
}

/** A run after a resume or a cancel, with the batches (and the recipients in them) that were still to send. */
export interface RunControlOutcome extends RunStatus {
  /** Batches not yet sent, enqueued again: to be sent (resume) or to be marked skipped (cancel). */
  unsentBatches: number;
  /** Recipients in them: planned and not yet sent, skipped or failed. */
  unsentRecipients: number;
}

async function loadRun(deps: Pick<RunControlDeps, "runs" | "campaigns">, runId: string) {
  const run = RUN_ID.test(runId) ? await deps.runs.getRun(runId) : undefined;
  if (!run) throw new AppError(404, "run_not_found", `No digest run with id "${runId.slice(0, 64)}".`);
  const campaign = await deps.campaigns.campaignStatus(run.campaign);
  return { run, campaign, status: runStatus(run, campaign) };
}

const unsentRecipients = (c: { planned: number; sent: number; skipped: number; failed: number } | undefined) => (c ? Math.max(0, c.planned - c.sent - c.skipped - c.failed) : 0);

/**
 * Resumes a paused digest run (paused by itself over the complaint or bounce limit, see
 * `checkAutoPause`): records who resumed it, marks its campaign sending again (the automatic pause
 * then measures only what is sent from here on) and enqueues every batch not yet sent at once. The
 * batches were frozen when the run was planned, so each recipient is still in exactly one batch and
 * gets the digest at most once. Several runs of one period share its campaign: resuming one resumes
 * the period's digest. 409 `not_paused` for a run that is not paused.
 */
export async function resumeDigestRun(deps: RunControlDeps, staff: StaffIdentity, runId: string): Promise<RunControlOutcome> {
  const { run, campaign, status } = await loadRun(deps, runId);
  if (status.state !== "paused" || !campaign) throw new AppError(409, "not_paused", `The run is ${status.state}; only a paused run can be resumed.`);
  const at = new Date(deps.clock.now()).toISOString();
  await recordStaffAction(deps, staff, "digest.resume", run.runId, { campaign: run.campaign, pausedReason: campaign.pausedReason?.code, sent: campaign.sent, unsent: unsentRecipients(campaign) });
  if (!(await deps.campaigns.resumeCampaign(run.campaign, at))) {
    const now = await loadRun(deps, runId);
    throw new AppError(409, "not_paused", `The run is ${now.status.state}; only a paused run can be resumed.`);
  }
  const batches = await requeueUnsentBatches(deps, run.campaign);
  await deps.campaigns.finishIfDone(run.campaign);
  const after = await loadRun(deps, runId);
  return { ...after.status, unsentBatches: batches, unsentRecipients: unsentRecipients(campaign) };
}

/**
 * Cancels the rest of a digest run that is paused or sending: records who cancelled it, marks its
 * campaign cancelled and enqueues every batch not yet sent, which the sender then completes with
 * each recipient skipped (`cancelled`), so the counters settle; nothing more of it goes out.
 * Cancelling a cancelled run answers its state again; 409 `not_active` for one that is done, failed
 * or not planned yet.
 */
export async function cancelDigestRun(deps: RunControlDeps, staff: StaffIdentity, runId: string): Promise<RunControlOutcome> {
  const { run, campaign, status } = await loadRun(deps, runId);
  if (status.state === "cancelled") return { ...status, unsentBatches: 0, unsentRecipients: 0 };
  if ((status.state !== "paused" && status.state !== "sending") || !campaign) {
    throw new AppError(409, "not_active", `The run is ${status.state}; only a run that is sending or paused can be cancelled.`);
  }
  const at = new Date(deps.clock.now()).toISOString();
  await recordStaffAction(deps, staff, "digest.cancel", run.runId, { campaign: run.campaign, was: status.state, sent: campaign.sent, unsent: unsentRecipients(campaign) });
  if (!(await deps.campaigns.cancelCampaign(run.campaign, at))) {
    const now = await loadRun(deps, runId);
    if (now.status.state !== "cancelled") throw new AppError(409, "not_active", `The run is ${now.status.state}; only a run that is sending or paused can be cancelled.`);
  }
  const batches = await requeueUnsentBatches(deps, run.campaign);
  const after = await loadRun(deps, runId);
  return { ...after.status, unsentBatches: batches, unsentRecipients: unsentRecipients(campaign) };
}
