import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { ZodType } from "zod";
import type { DeadLetterQueue } from "@mission-mail/core/platform/ports";
import type { Platform } from "../wiring/platform";
import type { Wiring } from "../wiring/wiring";
import { logger } from "./logger";
import { PoisonMessage, zodReasons } from "./poison";

/** A queue consumer: the batch, the invocation, and the wiring it runs on. */
export type QueueConsumer = (event: SQSEvent, context: Context, wiring: Wiring | Promise<Wiring>) => Promise<SQSBatchResponse>;

/**
 * A queue message's JSON body checked against a schema (or the schema its body calls for); anything
 * else is poison, with the reason.
 */
export function parseJob<T>(rec: SQSRecord, schemaFor: ZodType<T> | ((body: unknown) => ZodType<T>)): T {
  let body: unknown;
  try {
    body = JSON.parse(rec.body);
  } catch {
    throw new PoisonMessage(`message ${rec.messageId}: body is not JSON`);
  }
  const schema = typeof schemaFor === "function" ? schemaFor(body) : schemaFor;
  // A function parses few jobs per instance: zod's compiled fast path costs more to make than it saves.
  const job = schema.safeParse(body, { jitless: true });
  if (!job.success) throw new PoisonMessage(`message ${rec.messageId}: ${zodReasons(job.error)}`);
  return job.data;
}

/**
 * An SQS consumer with partial batch failures (Powertools). A poison message goes straight to the
 * queue's dead-letter queue with its reason and counts as handled, so it never loops through
 * retries. Anything else that fails (a timeout, an unexpected error) is a partial batch failure and
 * is retried; SQS redrives it to the DLQ only after repeated failures.
 */
export function sqsConsumer(record: (rec: SQSRecord, context: Context, w: Wiring) => Promise<void>, deadLetters: (p: Platform) => DeadLetterQueue): QueueConsumer {
  const processor = new BatchProcessor(EventType.SQS);
  const recordOrDeadLetter = async (rec: SQSRecord, context: Context, w: Wiring) => {
    try {
      await record(rec, context, w);
    } catch (err) {
      if (!(err instanceof PoisonMessage)) throw err;
      logger.error("poison message moved to the dead-letter queue", { messageId: rec.messageId, reason: err.message });
      await deadLetters(w.platform).put(rec.body, err.message);
    }
  };
  return async (event, context, wiring) => {
    const w = await wiring;
    return processPartialResponse(event, (rec: SQSRecord) => recordOrDeadLetter(rec, context, w), processor, { context });
  };
}
