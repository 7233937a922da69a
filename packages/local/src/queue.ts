import { randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { DeadLetterQueue, MailJob, MailQueue } from "@mission-mail/core/ports";

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
}

export interface DeadLetter {
  messageId: string;
  body: string;
  reason: string;
}

/**
 * The local stand-in for an SQS queue and its Lambda event source: it invokes the same handler with
 * the same SQSEvent shape, honours `batchItemFailures` (a failed message becomes visible again after
 * `retryDelayMs`) and moves a message that failed `maxReceiveCount` times to a dead-letter list.
 */
export class LocalQueue implements MailQueue, DeadLetterQueue {
  private messages: Message[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly name: string,
    private readonly handler: () => Promise<SqsHandler>,
    private readonly options: { batchSize: number; maxReceiveCount: number; retryDelayMs: number; onDeadLetter?: (d: DeadLetter) => void },
  ) {}

  async enqueue(job: MailJob): Promise<void> {
    this.sendRaw(JSON.stringify(job));
  }

  /** Puts a raw body on the queue, as SQS SendMessage would. */
  sendRaw(body: string): void {
    this.messages.push({ id: randomUUID(), body, receiveCount: 0, visibleAt: 0 });
    this.schedule(0);
  }

  /** Takes a message that can never succeed onto the dead-letter list, with the reason. */
  async put(body: string, reason: string): Promise<void> {
    const dead = { messageId: randomUUID(), body, reason };
    this.deadLetters.push(dead);
    this.options.onDeadLetter?.(dead);
  }

  /** Resolves once no message is waiting or in flight. */
  idle(): Promise<void> {
    if (!this.running && this.messages.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.messages = [];
    this.idleWaiters.splice(0).forEach((w) => w());
  }

  private schedule(delayMs: number) {
    if (this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), delayMs);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        const now = Date.now();
        const batch = this.messages.filter((m) => m.visibleAt <= now).slice(0, this.options.batchSize);
        if (batch.length === 0) break;
        const handler = await this.handler();
        batch.forEach((m) => (m.receiveCount += 1));
        let failed: Set<string>;
        try {
          const result = await handler(this.event(batch), localContext(this.name));
          failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (err) {
          failed = new Set(batch.map((m) => m.id));
          console.error(`[${this.name}] handler failed for the whole batch: ${(err as Error).message}`);
        }
        for (const m of batch) {
          if (!failed.has(m.id)) {
            this.messages.splice(this.messages.indexOf(m), 1);
          } else if (m.receiveCount >= this.options.maxReceiveCount) {
            this.messages.splice(this.messages.indexOf(m), 1);
            const dead = { messageId: m.id, body: m.body, reason: `failed ${m.receiveCount} times` };
            this.deadLetters.push(dead);
            this.options.onDeadLetter?.(dead);
          } else {
            m.visibleAt = Date.now() + this.options.retryDelayMs;
          }
        }
      }
    } finally {
      this.running = false;
    }
    if (this.messages.length === 0) {
      this.idleWaiters.splice(0).forEach((w) => w());
    } else {
      const next = Math.min(...this.messages.map((m) => m.visibleAt));
      this.schedule(Math.max(0, next - Date.now()));
    }
  }

  private event(batch: Message[]): SQSEvent {
    return {
      Records: batch.map(
        (m): SQSRecord => ({
          messageId: m.id,
          receiptHandle: m.id,
          body: m.body,
          attributes: {
            ApproximateReceiveCount: String(m.receiveCount),
            SentTimestamp: String(Date.now()),
            SenderId: "local",
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: "",
          eventSource: "aws:sqs",
          eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
          awsRegion: "local",
        }),
      ),
    };
  }
}

/** A minimal Lambda context for handlers invoked in-process. */
export function localContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/local/${name}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
