import type { MailQueue } from "../platform/ports";
import type { BatchJob, MailJob } from "../shared/jobs";
import { sendBatch, type BatchOutcome, type BatchSenderDeps } from "./send-batch";
import { sendTransactional, type TransactionalDeps, type TransactionalOutcome } from "./send-transactional";

/**
 * Recipients per paced call at a send rate: about a tenth of a second's quota, but never under 10
 * recipients (nor over SES's 50). At SES's usual 14/s that keeps calls few, well within the short
 * bursts SES allows.
 */
export const chunkSizeFor = (ratePerSecond: number): number => Math.min(50, Math.max(10, Math.floor(ratePerSecond / 10)));

/** The send queue's dependencies: the batch sender's (without the invocation's lease owner), the transactional sender's, and the queue itself. */
export interface SendJobDeps {
  batch: Omit<BatchSenderDeps, "owner">;
  transactional: TransactionalDeps;
  sendQueue: MailQueue;
}

export type SendJobResult = { kind: "batch"; result: BatchOutcome } | { kind: "transactional"; outcome: TransactionalOutcome };

/**
 * Delivers one send-queue job: a campaign batch (leased by `owner`) or a transactional email. A
 * throttled batch is released with a fresh pointer after the sender's delay, and this job is done:
 * releasing this way never counts towards the queue's receive limit, so throttling can never
 * dead-letter a batch.
 */
export async function deliverSendJob(deps: SendJobDeps, job: BatchJob | MailJob, owner: string): Promise<SendJobResult> {
  if (job.kind === "batch") {
    const result = await sendBatch({ ...deps.batch, owner }, job);
    if (result.outcome === "retry") await deps.sendQueue.enqueue(job, { delaySeconds: result.delaySeconds });
    return { kind: "batch", result };
  }
  return { kind: "transactional", outcome: await sendTransactional(deps.transactional, job) };
}
