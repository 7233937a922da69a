import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetterQueue, JobQueue } from "./ports";

/** An SQS client for the region, at the given endpoint if any: one is shared by every queue of a function. */
export function sqsClient(options: { region: string; endpoint?: string }): SQSClient {
  return new SQSClient({ region: options.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
}

/**
 * An SQS queue in AWS. As a job queue it takes jobs (ids only, never addresses), with an optional
 * delay; as a dead-letter queue it takes a body as it was, with the reason as a message attribute.
 */
export class SqsQueue<T> implements JobQueue<T>, DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}
  async enqueue(job: T, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(job), ...(options.delaySeconds ? { DelaySeconds: Math.min(900, Math.round(options.delaySeconds)) } : {}) }),
    );
  }
  async enqueueMany(jobs: T[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      const part = jobs.slice(i, i + 10);
      let entries = part.map((job, n) => ({ Id: String(n), MessageBody: JSON.stringify(job) }));
      for (let attempt = 0; entries.length; attempt++) {
        if (attempt >= 5) throw new Error(`SQS refused ${entries.length} messages after 5 attempts`);
        if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt * Math.random()));
        const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.url, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
  async put(body: string, reason: string): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.url,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: "String", StringValue: reason.slice(0, 1000) } },
      }),
    );
  }
  /** The messages waiting in the queue, visible or not (GetQueueAttributes; approximate, as SQS says). */
  async deadLetterCount(): Promise<number> {
    const out = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    const count = (name: string) => Number(out.Attributes?.[name as "ApproximateNumberOfMessages"] ?? 0);
    return count("ApproximateNumberOfMessages") + count("ApproximateNumberOfMessagesNotVisible");
  }
}
