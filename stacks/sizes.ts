/**
 * The functions' sizes and the queue consumers' concurrency, as plain numbers without the CDK, so the
 * bench's cost model and simulation (bench/) read the configured values rather than copies.
 */

/** Memory of every function that does not set its own (sst.config.ts), in MB. */
export const DEFAULT_MEMORY_MB = 512;
/** Memory of the plan queue's consumer: MJML and a whole audience in memory, in MB. */
export const PLANNER_MEMORY_MB = 1536;
/** Memory of the content events' function, in MB. */
export const CONTENT_MEMORY_MB = 1024;

/** The send queue's consumer: how many messages per invocation and at most how many at once. */
export const SENDER_BATCH_SIZE = 10;
export const SENDER_MAX_CONCURRENCY = 2;

/** The plan queue's consumer: one job per invocation (a digest run can take minutes), a few at once. */
export const PLANNER_MAX_CONCURRENCY = 10;

/**
 * The sign-up queue's consumer: at most this many at once. A burst of sign-ups waits in the queue
 * rather than taking the account's Lambda concurrency; the send queue paces the emails anyway.
 */
export const SIGNUP_MAX_CONCURRENCY = 5;
