import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSEvent, SQSRecord, Context, SQSBatchResponse } from "aws-lambda";
import { MailJobSchema, sendTransactional } from "@mission-mail/core/delivery/send-transactional";
import { deps } from "../lib/deps";
import { logger } from "../lib/logger";

const processor = new BatchProcessor(EventType.SQS);

/** A message that can never succeed: it fails every delivery and so reaches the DLQ, with its reason logged. */
export class PoisonMessage extends Error {
  override name = "PoisonMessage";
}

async function record(rec: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(rec.body);
  } catch {
    throw new PoisonMessage(`message ${rec.messageId}: body is not JSON`);
  }
  const job = MailJobSchema.safeParse(body);
  if (!job.success) throw new PoisonMessage(`message ${rec.messageId}: ${job.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  const d = await deps();
  const outcome = await sendTransactional(
    {
      store: d.store,
      mailer: d.mailer,
      clock: d.clock,
      tokenKeys: d.config.TOKEN_KEYS,
      publicUrl: d.config.PUBLIC_URL,
      ...(d.config.CONFIGURATION_SET ? { configurationSet: d.config.CONFIGURATION_SET } : {}),
    },
    job.data,
  );
  logger.info("transactional mail", { kind: job.data.kind, subscriberId: job.data.subscriberId, outcome });
}

/**
 * A poison message goes straight to the dead-letter queue with its reason and counts as handled, so it
 * never loops through retries. Anything else that fails (a throttle, a timeout) is a partial batch
 * failure and is retried; SQS redrives it to the DLQ only after repeated failures.
 */
async function recordOrDeadLetter(rec: SQSRecord): Promise<void> {
  try {
    await record(rec);
  } catch (err) {
    if (!(err instanceof PoisonMessage)) throw err;
    logger.error("poison message moved to the dead-letter queue", { messageId: rec.messageId, reason: err.message });
    await (await deps()).deadLetters.put(rec.body, err.message);
  }
}

/** SQS consumer of the send queue: one transactional email per message, partial batch failures. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordOrDeadLetter, processor, { context });
