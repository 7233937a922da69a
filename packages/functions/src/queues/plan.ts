import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { flushAlertWindow } from "@mission-mail/core/content/alerts";
import { planDigest } from "@mission-mail/core/digest/plan-digest";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";
import { planningDeps } from "../lib/planning";
import { PoisonMessage, zodReasons } from "../lib/poison";

const processor = new BatchProcessor(EventType.SQS);

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
  let body: unknown;
  try {
    body = JSON.parse(rec.body);
  } catch {
    throw new PoisonMessage(`message ${rec.messageId}: body is not JSON`);
  }
  const job = PlanJobSchema.safeParse(body);
  if (!job.success) throw new PoisonMessage(`message ${rec.messageId}: ${zodReasons(job.error)}`);
  const d = await deps();
  const planning = planningDeps(d, `${context.awsRequestId}:${rec.messageId}`);
  if (job.data.kind === "plan-digest") {
    const run = await planDigest(planning, { runId: job.data.runId ?? `scheduled-${d.ids.next()}`, cadence: job.data.cadence, ...(job.data.period ? { period: job.data.period } : {}) });
    logger.info("digest planned", { ...run });
  } else {
    const result = await flushAlertWindow(planning, job.data);
    logger.info("alert window flushed", { subscriberId: job.data.subscriberId, planned: result?.planned ?? 0 });
  }
}

async function recordOrDeadLetter(rec: SQSRecord, context: Context): Promise<void> {
  try {
    await record(rec, context);
  } catch (err) {
    if (!(err instanceof PoisonMessage)) throw err;
    logger.error("poison message moved to the dead-letter queue", { messageId: rec.messageId, reason: err.message });
    await (await deps()).planDeadLetters.put(rec.body, err.message);
  }
}

/** SQS consumer of the plan queue: digest runs and alert-window flushes, partial batch failures. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, (rec: SQSRecord) => recordOrDeadLetter(rec, context), processor, { context });
