import type { Context, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { flushAlertWindow } from "@mission-mail/core/content/alerts";
import { planDigest } from "@mission-mail/core/digest/plan-digest";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";
import { planningDeps } from "../lib/planning";
import { parseJob, sqsConsumer } from "../lib/sqs-consumer";

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
]);

async function record(rec: SQSRecord, context: Context): Promise<void> {
  const job = parseJob(rec, PlanJobSchema);
  const d = await deps();
  const planning = planningDeps(d, `${context.awsRequestId}:${rec.messageId}`);
  if (job.kind === "plan-digest") {
    const run = await planDigest(planning, { runId: job.runId ?? `scheduled-${d.ids.next()}`, cadence: job.cadence, ...(job.period ? { period: job.period } : {}) });
    logger.info("digest planned", { ...run });
  } else {
    const result = await flushAlertWindow(planning, job);
    logger.info("alert window flushed", { subscriberId: job.subscriberId, planned: result?.planned ?? 0 });
  }
}

/** SQS consumer of the plan queue: digest runs and alert-window flushes, partial batch failures. */
export const handler = sqsConsumer(record, (d) => d.planDeadLetters);
