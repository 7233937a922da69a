import type { Context, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { flushAlertWindow } from "@mission-mail/core/digest/alerts";
import { planDigest } from "@mission-mail/core/digest/plan-digest";
import { completeRetirement } from "@mission-mail/core/missions/retire-mission";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";
import { publishingMetrics, reportLeftOut, sendMetrics } from "../lib/metrics";
import { announcementPlanningDeps, planningDeps } from "../lib/planning";
import { planAnnouncement } from "@mission-mail/core/announcements/plan-announcement";
import { parseJob, sqsConsumer } from "../lib/sqs-consumer";

const metrics = sendMetrics();

/** A planning job: a digest run (from the API or the schedule) or the end of an alert window. */
const PlanJobSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("plan-digest"),
    cadence: z.enum(["weekly", "monthly"]),
    /** Absent when the schedule sends the job: the run id is then made here. */
    runId: z.string().min(1).max(64).optional(),
    period: z.string().regex(/^\d{4}-(W\d{2}|\d{2})$/).optional(),
  }),
  z.object({ kind: z.literal("flush-alerts"), subscriberId: z.string().min(1).max(64), windowEndsAt: z.number().int().positive() }),
  /** A staff announcement: sent now from the API, or by its one-off schedule (which names its instant). */
  z.object({ kind: z.literal("plan-announcement"), id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/), at: z.number().int().positive().optional() }),
  z.object({ kind: z.literal("retire-mission"), missionId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64) }),
]);

async function record(rec: SQSRecord, context: Context): Promise<void> {
  const job = parseJob(rec, PlanJobSchema);
  const d = await deps();
  const planning = planningDeps(d, `${context.awsRequestId}:${rec.messageId}`);
  if (job.kind === "plan-digest") {
    const run = await planDigest(planning, { runId: job.runId ?? `scheduled-${d.ids.next()}`, cadence: job.cadence, ...(job.period ? { period: job.period } : {}) });
    const { warnings, ...summary } = run;
    reportLeftOut(metrics, warnings ?? [], { runId: run.runId, campaign: run.campaign });
    if (run.state === "failed") logger.error("digest run failed", summary);
    else logger.info("digest planned", summary);
  } else if (job.kind === "retire-mission") {
    const result = await completeRetirement({ ...planning, missions: d.missions, planQueue: d.planQueue, ids: d.ids, stats: d.stats }, job.missionId);
    logger.info("mission retirement", { missionId: job.missionId, ...result });
  } else if (job.kind === "plan-announcement") {
    const result = await planAnnouncement(announcementPlanningDeps(d, planning.owner), job);
    logger.info("announcement planned", { id: job.id, ...result });
  } else {
    const { result, leftOut } = await flushAlertWindow(planning, job);
    reportLeftOut(metrics, leftOut, { subscriberId: job.subscriberId, alertWindow: job.windowEndsAt });
    logger.info("alert window flushed", { subscriberId: job.subscriberId, planned: result?.planned ?? 0 });
  }
}

/** SQS consumer of the plan queue: digest runs and alert-window flushes, partial batch failures. */
export const handler = publishingMetrics(metrics, sqsConsumer(record, (d) => d.planDeadLetters));
