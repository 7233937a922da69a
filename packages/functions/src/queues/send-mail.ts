import type { SQSRecord, Context } from "aws-lambda";
import * as z from "zod";
import { BatchJobSchema, sendBatch } from "@mission-mail/core/campaigns/send-batch";
import { MailJobSchema, sendTransactional } from "@mission-mail/core/campaigns/send-transactional";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";
import { countBatch, countTransactional, publishingMetrics, sendMetrics } from "../lib/metrics";
import { parseJob, sqsConsumer } from "../lib/sqs-consumer";

const metrics = sendMetrics();

/** Batch pointers and transactional jobs share the queue; `kind` tells them apart. */
const schemaFor = (body: unknown): z.ZodType<z.infer<typeof BatchJobSchema> | z.infer<typeof MailJobSchema>> =>
  (body as { kind?: unknown })?.kind === "batch" ? BatchJobSchema : MailJobSchema;

async function record(rec: SQSRecord, context: Context): Promise<void> {
  const job = parseJob(rec, schemaFor);
  const d = await deps();
  const cfg = d.config;
  if (job.kind === "batch") {
    const result = await sendBatch(
      {
        outbox: d.outbox,
        store: d.store,
        mailer: d.mailer,
        pacer: d.pacer,
        stats: d.stats,
        clock: d.clock,
        tokenKeys: cfg.TOKEN_KEYS,
        publicUrl: cfg.PUBLIC_URL,
        unsubscribeMailto: cfg.UNSUBSCRIBE_MAILTO,
        ...(cfg.CONFIGURATION_SET ? { configurationSet: cfg.CONFIGURATION_SET } : {}),
        ...(cfg.CONFIGURATION_SET_TRACKING ? { trackingConfigurationSet: cfg.CONFIGURATION_SET_TRACKING } : {}),
        owner: `${context.awsRequestId}:${rec.messageId}`,
        leaseMs: cfg.SENDER_LEASE_SECONDS * 1000,
        maxPacingWaitMs: 10_000,
        mode: cfg.SEND_MODE,
        // About a tenth of a second's quota per call, but never under 10 recipients: at SES's usual
        // 14/s that keeps calls few, well within the short bursts SES allows.
        chunkSize: Math.max(10, Math.floor(cfg.SEND_RATE_PER_SECOND / 10)),
      },
      job,
    );
    if (result.outcome === "retry") {
      // Throttled: a fresh copy comes back after the delay, and this one is done. Releasing this way
      // never counts towards the queue's receive limit, so throttling can never dead-letter a batch.
      await d.queue.enqueue(job, { delaySeconds: result.delaySeconds });
    }
    countBatch(metrics, result);
    logger.info("campaign batch", { campaign: job.campaign, batch: job.batch, ...result });
    return;
  }
  const outcome = await sendTransactional(
    {
      store: d.store,
      mailer: d.mailer,
      clock: d.clock,
      tokenKeys: cfg.TOKEN_KEYS,
      publicUrl: cfg.PUBLIC_URL,
      ...(cfg.CONFIGURATION_SET ? { configurationSet: cfg.CONFIGURATION_SET } : {}),
    },
    job,
  );
  countTransactional(metrics, outcome);
  logger.info("transactional mail", { kind: job.kind, subscriberId: job.subscriberId, outcome });
}

/**
 * SQS consumer of the send queue: transactional mail and campaign batches, partial batch failures.
 * Publishes the send path's metrics (recipients sent, skipped and failed, throttle releases).
 */
export const handler = publishingMetrics(metrics, sqsConsumer(record, (d) => d.deadLetters));
