import type { Clock, DeadLetterQueue, EventPublisher, Ids, JobQueue } from "../../packages/core/src/platform/ports";

/** A clock that stands still until a test moves it. */
export class FakeClock implements Clock {
  constructor(public ms = Date.parse("2026-12-01T09:00:00.000Z")) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}

/** Ids that sort like ULIDs do: `id-0001`, `id-0002`, … */
export class SequentialIds implements Ids {
  private n = 0;
  constructor(private readonly prefix = "id") {}
  next(): string {
    return `${this.prefix}-${String(++this.n).padStart(4, "0")}`;
  }
}

/** A queue that keeps what was enqueued, with its delay. */
export class RecordingQueue<T> implements JobQueue<T> {
  readonly jobs: { job: T; delaySeconds?: number }[] = [];
  async enqueue(job: T, options?: { delaySeconds?: number }): Promise<void> {
    this.jobs.push({ job, ...(options?.delaySeconds !== undefined ? { delaySeconds: options.delaySeconds } : {}) });
  }
  async enqueueMany(jobs: T[]): Promise<void> {
    for (const job of jobs) this.jobs.push({ job });
  }
  /** The jobs alone, in order. */
  get bodies(): T[] {
    return this.jobs.map((j) => j.job);
  }
  /** Takes every job out, as a worker receiving them would. */
  drain(): T[] {
    return this.jobs.splice(0).map((j) => j.job);
  }
}

export class RecordingDeadLetters implements DeadLetterQueue {
  readonly messages: { body: string; reason: string }[] = [];
  async put(body: string, reason: string): Promise<void> {
    this.messages.push({ body, reason });
  }
  async deadLetterCount(): Promise<number> {
    return this.messages.length;
  }
}

/** Accepts every event, unless told to fail, as EventBridge does when an entry is refused. */
export class RecordingEvents implements EventPublisher {
  readonly events: { source: string; detailType: string; detail: unknown }[] = [];
  failNext = false;
  async publish(events: { source: string; detailType: string; detail: unknown }[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("1 of the events was not accepted");
    }
    this.events.push(...events);
  }
}

/** Sequential ids in ULID form (26 Crockford characters), for records whose ids are checked as ULIDs. */
export class UlidIds implements Ids {
  private n = 0;
  next(): string {
    return `01KB${String(++this.n).padStart(22, "0")}`;
  }
}
