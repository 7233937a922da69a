import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod";
import { processSignUp } from "@mission-mail/core/subscription/process-sign-up";
import { logger } from "../lib/logger";
import { PoisonMessage } from "../lib/poison";
import { parseJob, sqsConsumer } from "../lib/sqs-consumer";
import { signUpWorker } from "../wiring/subscription";
import { lambdaWiring } from "../wiring/lambda";
import type { Wiring } from "../wiring/wiring";

/** A sign-up queue message: the request's id only; the request itself is in the table. */
const SignUpJobSchema = z.object({ kind: z.literal("sign-up"), requestId: z.string().min(1).max(64) });

async function record(rec: SQSRecord, _context: Context, w: Wiring): Promise<void> {
  const job = parseJob(rec, SignUpJobSchema);
  const decided = await processSignUp(signUpWorker(w), job.requestId);
  if (decided.outcome === "invalid") throw new PoisonMessage(`message ${rec.messageId}: ${decided.reason}`);
  if (decided.outcome === "gone") logger.warn("sign-up request already decided or expired", { requestId: job.requestId });
  else logger.info("sign-up decided", { requestId: job.requestId, outcome: decided.outcome, subscriberId: decided.subscriberId });
}

/**
 * SQS consumer of the sign-up queue: decides each sign-up request (new, pending or already active)
 * off the request path, with partial batch failures; a malformed message or stored request goes to
 * the dead-letter queue with its reason.
 */
export const run = sqsConsumer(record, (p) => p.signUpDeadLetters);

/** The Lambda function: the consumer on the process-wide wiring. */
export const handler = (event: SQSEvent, context: Context) => run(event, context, lambdaWiring());
