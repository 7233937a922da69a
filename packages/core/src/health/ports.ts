import type { DeadLetterQueue } from "../platform/ports";

/** A figure's standing against its thresholds: within the aim, past the aim, or over the limit. */
export type HealthStatus = "ok" | "warning" | "over";

/** The service's dead-letter queues, as the health view names them. */
export const DEAD_LETTER_QUEUES = ["send", "signUp", "plan", "content", "feedback"] as const;
export type DeadLetterName = (typeof DEAD_LETTER_QUEUES)[number];

/** Where the health view reads each dead-letter queue's depth (SQS in AWS, the local cloud's lists locally). */
export type DeadLetterDepths = Record<DeadLetterName, Pick<DeadLetterQueue, "deadLetterCount">>;
