import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSEvent, SQSRecord, Context, SQSBatchResponse } from "aws-lambda";
import { BatchJobSchema, sendBatch } from "@mission-mail/core/delivery/send-batch";
import { MailJobSchema, sendTransactional } from "@mission-mail/core/delivery/send-transactional";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";
import { PoisonMessage, zodReasons } from "../lib/poison";

export { PoisonMessage };

const processor = new BatchProcessor(EventType.SQS);

function parse(rec: SQSRecord) {
  let body: unknown;
  try {
    body = JSON.parse(rec.body);
  } catch {
    throw new PoisonMessage(`message ${rec.messageId}: body is not JSON`);
  }
  if ((body as { kind?: unknown })?.kind === "batch") {
    const job = BatchJobSchema.safeParse(body);
    if (!job.success) throw new PoisonMessage(`message ${rec.messageId}: ${zodReasons(job.error)}`);
    return job.data;
  }
  const job = MailJobSchema.safeParse(body);
  if (!job.success) throw new PoisonMessage(`message ${rec.messageId}: ${zodReasons(job.error)}`);
  return job.data;
}

async function record(rec: SQSRecord, context: Context): Promise<void> {
  const job = parse(rec);
  const d = await deps();
  const cfg = d.config;
  if (job.kind === "batch") {
    const result = await sendBatch(
      {
        outbox: d.outbox,
        store: d.store,
        mailer: d.mailer,
        pacer: d.pacer,
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
  logger.info("transactional mail", { kind: job.kind, subscriberId: job.subscriberId, outcome });
}

/**
 * A poison message goes straight to the dead-letter queue with its reason and counts as handled, so it
 * never loops through retries. Anything else that fails (a timeout, an unexpected error) is a partial
 * batch failure and is retried; SQS redrives it to the DLQ only after repeated failures.
 */
async function recordOrDeadLetter(rec: SQSRecord, context: Context): Promise<void> {
  try {
    await record(rec, context);
  } catch (err) {
    if (!(err instanceof PoisonMessage)) throw err;
    logger.error("poison message moved to the dead-letter queue", { messageId: rec.messageId, reason: err.message });
    await (await deps()).deadLetters.put(rec.body, err.message);
  }
}

/** SQS consumer of the send queue: transactional mail and campaign batches, partial batch failures. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, (rec: SQSRecord) => recordOrDeadLetter(rec, context), processor, { context });
