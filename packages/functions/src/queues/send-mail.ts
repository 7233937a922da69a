import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { deliverSendJob, type SendJobDeps } from "@mission-mail/core/campaigns/deliver";
import { BatchJobSchema } from "@mission-mail/core/campaigns/send-batch";
import { MailJobSchema } from "@mission-mail/core/campaigns/send-transactional";
import { StatsTally } from "@mission-mail/core/stats/tally";
import { logger } from "../lib/logger";
import { countBatch, countTransactional, publishingMetrics, sendMetrics } from "../lib/metrics";
import { parseJob, sqsConsumer, type QueueConsumer } from "../lib/sqs-consumer";
import { sender } from "../wiring/campaigns";
import { lambdaWiring } from "../wiring/lambda";

const metrics = sendMetrics();

/** Batch pointers and transactional jobs share the queue; `kind` tells them apart. */
const schemaFor = (body: unknown): z.ZodType<z.infer<typeof BatchJobSchema> | z.infer<typeof MailJobSchema>> =>
  (body as { kind?: unknown })?.kind === "batch" ? BatchJobSchema : MailJobSchema;

async function record(rec: SQSRecord, context: Context, deps: SendJobDeps): Promise<void> {
  const job = parseJob(rec, schemaFor);
  const sent = await deliverSendJob(deps, job, `${context.awsRequestId}:${rec.messageId}`);
  if (sent.kind === "batch" && job.kind === "batch") {
    countBatch(metrics, sent.result);
    if (sent.result.outcome === "expired") logger.warn("alert batch dropped: past its delivery deadline", { campaign: job.campaign, batch: job.batch, ...sent.result });
    else logger.info("campaign batch", { campaign: job.campaign, batch: job.batch, ...sent.result });
  } else if (sent.kind === "transactional" && job.kind !== "batch") {
    countTransactional(metrics, sent.outcome);
    logger.info("transactional mail", { kind: job.kind, subscriberId: job.subscriberId, outcome: sent.outcome });
  }
}

/**
 * SQS consumer of the send queue: transactional mail and campaign batches, partial batch failures.
 * Publishes the send path's metrics (recipients sent, skipped and failed, throttle releases). What
 * the invocation's batches add to the per-mission charts and the service's daily totals is summed
 * and written once after its last record (a few updates instead of a few per batch).
 */
const consume: QueueConsumer = async (event, context, wiring) => {
  const w = await wiring;
  const deps = sender(w);
  const tally = new StatsTally({ stats: deps.batch.stats, totals: deps.batch.totals });
  const tallied: SendJobDeps = { ...deps, batch: { ...deps.batch, stats: tally.stats, totals: tally.totals } };
  try {
    return await sqsConsumer((rec, ctx) => record(rec, ctx, tallied), (p) => p.sendDeadLetters)(event, context, w);
  } finally {
    await tally.flush();
  }
};
export const run = publishingMetrics(metrics, consume);

/** The Lambda function: the consumer on the process-wide wiring. */
export const handler = (event: SQSEvent, context: Context) => run(event, context, lambdaWiring());
