import type { SendJob } from "../shared/jobs";

/** Wall-clock time, injected so tests can move it. */
export interface Clock {
  now(): number;
}

/** Sortable unique ids. */
export interface Ids {
  next(): string;
}

/** A queue of jobs (SQS in AWS). `delaySeconds` (at most 900) holds a job back, as SQS DelaySeconds does. */
export interface JobQueue<T> {
  enqueue(job: T, options?: { delaySeconds?: number }): Promise<void>;
  enqueueMany(jobs: T[]): Promise<void>;
}

/** The paced send queue. Transactional mail goes in with priority. */
export type MailQueue = JobQueue<SendJob>;

/** Where messages that can never succeed go, with the reason, instead of being retried. */
export interface DeadLetterQueue {
  put(body: string, reason: string): Promise<void>;
  /** How many messages wait in it (SQS's ApproximateNumberOfMessages: approximate, and it lags a minute or so). */
  deadLetterCount(): Promise<number>;
}

/** Publishes domain events to the event bus; throws unless every entry was accepted. */
export interface EventPublisher {
  publish(events: { source: string; detailType: string; detail: unknown }[]): Promise<void>;
}
