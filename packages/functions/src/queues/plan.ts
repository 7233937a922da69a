import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { flushAlertWindow } from "@mission-mail/core/digest/alerts";
import { planDigest } from "@mission-mail/core/digest/plan-digest";
import { completeRetirement } from "@mission-mail/core/missions/retire-mission";
import { logger } from "../lib/logger";
import { publishingMetrics, reportLeftOut, sendMetrics } from "../lib/metrics";
import { planAnnouncement } from "@mission-mail/core/announcements/plan-announcement";
import { parseJob, sqsConsumer } from "../lib/sqs-consumer";
import { announcementPlanning } from "../wiring/announcement-emails";
import { planning, retirement } from "../wiring/digest";
import { lambdaWiring } from "../wiring/lambda";
import type { Wiring } from "../wiring/wiring";

const metrics = sendMetrics();

/** A planning job: a digest run (from the API or the schedule) or the end of an alert window. */
const PlanJobSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("plan-digest"),
    cadence: z.enum(["daily", "weekly", "monthly"]),
    /** Absent when the schedule sends the job: the run id is then made here. */
    runId: z.string().min(1).max(64).optional(),
    period: z.string().regex(/^\d{4}-(W\d{2}|\d{2}|\d{2}-\d{2})$/).optional(),
  }),
  z.object({ kind: z.literal("flush-alerts"), subscriberId: z.string().min(1).max(64), windowEndsAt: z.number().int().positive() }),
  /** A staff announcement: sent now from the API, or by its one-off schedule (which names its instant). */
  z.object({ kind: z.literal("plan-announcement"), id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/), at: z.number().int().positive().optional() }),
  z.object({ kind: z.literal("retire-mission"), missionId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(64) }),
]);

async function record(rec: SQSRecord, context: Context, w: Wiring): Promise<void> {
  const job = parseJob(rec, PlanJobSchema);
  const owner = `${context.awsRequestId}:${rec.messageId}`;
  if (job.kind === "plan-digest") {
    const run = await planDigest(planning(w, owner), { runId: job.runId ?? `scheduled-${w.platform.ids.next()}`, cadence: job.cadence, ...(job.period ? { period: job.period } : {}) });
    const { warnings, ...summary } = run;
    reportLeftOut(metrics, warnings ?? [], { runId: run.runId, campaign: run.campaign });
    if (run.state === "failed") logger.error("digest run failed", summary);
    else logger.info("digest planned", summary);
  } else if (job.kind === "retire-mission") {
    const result = await completeRetirement(retirement(w, owner), job.missionId);
    logger.info("mission retirement", { missionId: job.missionId, ...result });
  } else if (job.kind === "plan-announcement") {
    const result = await planAnnouncement(announcementPlanning(w, owner), job);
    logger.info("announcement planned", { id: job.id, ...result });
  } else {
    const { result, leftOut } = await flushAlertWindow(planning(w, owner), job);
    reportLeftOut(metrics, leftOut, { subscriberId: job.subscriberId, alertWindow: job.windowEndsAt });
    logger.info("alert window flushed", { subscriberId: job.subscriberId, planned: result?.planned ?? 0 });
  }
}

/** SQS consumer of the plan queue: digest runs and alert-window flushes, partial batch failures. */
export const run = publishingMetrics(metrics, sqsConsumer(record, (p) => p.planDeadLetters));

/** The Lambda function: the consumer on the process-wide wiring. */
export const handler = (event: SQSEvent, context: Context) => run(event, context, lambdaWiring());
