import { randomUUID } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { DeadLetterQueue, JobQueue } from "@mission-mail/core/platform/ports";

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  inFlight?: boolean;
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
export class LocalQueue<T = unknown> implements JobQueue<T>, DeadLetterQueue {
  private messages: Message[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly name: string,
    private readonly handler: () => Promise<SqsHandler>,
    private readonly options: {
      batchSize: number;
      maxReceiveCount: number;
      retryDelayMs: number;
      onDeadLetter?: (d: DeadLetter) => void;
      /** Scales DelaySeconds (tests shorten delays; 1 is real time). */
      delayScale?: number;
      /** Batches handled at once, like the event source's maximum concurrency. */
      concurrency?: number;
    },
  ) {}

  private get delayScale() {
    return this.options.delayScale ?? 1;
  }

  async enqueue(job: T, options: { delaySeconds?: number } = {}): Promise<void> {
    this.sendRaw(JSON.stringify(job), options.delaySeconds);
  }

  async enqueueMany(jobs: T[]): Promise<void> {
    for (const job of jobs) this.sendRaw(JSON.stringify(job));
  }

  /** Puts a raw body on the queue, as SQS SendMessage would, optionally delayed (DelaySeconds). */
  sendRaw(body: string, delaySeconds = 0): void {
    const visibleAt = delaySeconds > 0 ? Date.now() + delaySeconds * 1000 * this.delayScale : 0;
    this.messages.push({ id: randomUUID(), body, receiveCount: 0, visibleAt });
    if (!this.running) {
      const next = Math.min(...this.messages.map((m) => m.visibleAt));
      this.schedule(Math.max(0, next - Date.now()));
    }
  }

  private paused = false;

  /** Stops handing messages to the handler (like disabling the event source); messages keep arriving. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule(0);
  }

  /**
   * Moves the queue's time forward by `ms`: messages delayed (or waiting to be retried) by no more
   * than that become visible now. Tests use it to reach the end of a ten-minute alert window at once.
   */
  advance(ms: number): void {
    const now = Date.now();
    for (const m of this.messages) if (!m.inFlight && m.visibleAt > now) m.visibleAt = Math.max(now, m.visibleAt - ms);
    this.schedule(0);
  }

  /** How many messages wait, visible or delayed. */
  get depth(): number {
    return this.messages.length;
  }

  /** How many messages this queue has moved to its dead-letter list. */
  async deadLetterCount(): Promise<number> {
    return this.deadLetters.length;
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
    if (this.running || this.paused) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), delayMs);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      const worker = async () => {
        for (;;) {
          const now = Date.now();
          const batch: Message[] = [];
          for (const m of this.messages) {
            if (batch.length >= this.options.batchSize) break;
            if (!m.inFlight && m.visibleAt <= now) batch.push(m);
          }
          if (batch.length === 0 || this.paused) return;
          batch.forEach((m) => ((m.inFlight = true), (m.receiveCount += 1)));
          await this.invoke(batch);
        }
      };
      await Promise.all(Array.from({ length: this.options.concurrency ?? 1 }, worker));
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

  private async invoke(batch: Message[]): Promise<void> {
    const handler = await this.handler();
    let failed: Set<string>;
    try {
      const result = await handler(this.event(batch), localContext(this.name));
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      failed = new Set(batch.map((m) => m.id));
      console.error(`[${this.name}] handler failed for the whole batch: ${(err as Error).message}`);
    }
    const done = new Set<Message>();
    for (const m of batch) {
      m.inFlight = false;
      if (!failed.has(m.id)) {
        done.add(m);
      } else if (m.receiveCount >= this.options.maxReceiveCount) {
        done.add(m);
        const dead = { messageId: m.id, body: m.body, reason: `failed ${m.receiveCount} times` };
        this.deadLetters.push(dead);
        this.options.onDeadLetter?.(dead);
      } else {
        m.visibleAt = Date.now() + this.options.retryDelayMs;
      }
    }
    if (done.size) this.messages = this.messages.filter((m) => !done.has(m));
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

/** A dead-letter queue that only keeps what it is given, with the reason (the content DLQ locally). */
export class DeadLetterList implements DeadLetterQueue {
  readonly items: DeadLetter[] = [];
  constructor(private readonly onDeadLetter?: (d: DeadLetter) => void) {}
  async deadLetterCount(): Promise<number> {
    return this.items.length;
  }
  async put(body: string, reason: string): Promise<void> {
    const dead = { messageId: randomUUID(), body, reason };
    this.items.push(dead);
    this.onDeadLetter?.(dead);
  }
}
