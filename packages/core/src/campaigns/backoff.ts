/** How an error from the email service should be treated. */
export type SendErrorKind = "throttled" | "transient" | "rejected" | "fatal";

const THROTTLE_NAMES = new Set(["TooManyRequestsException", "LimitExceededException", "ThrottlingException", "Throttling"]);
const REJECTED_NAMES = new Set(["MessageRejected", "BadRequestException", "InvalidParameterValue"]);

/** Classifies an SES error: throttling and 5xx/network errors are retried; a rejected message is not. */
export function classifySendError(err: unknown): SendErrorKind {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (THROTTLE_NAMES.has(e?.name ?? "") || status === 429) return "throttled";
  if ((status !== undefined && status >= 500) || ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE"].includes(e?.code ?? "") || e?.name === "TimeoutError")
    return "transient";
  if (REJECTED_NAMES.has(e?.name ?? "")) return "rejected";
  return "fatal";
}

export interface BackoffOptions {
  attempts: number;
  baseMs: number;
  capMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { attempts: 6, baseMs: 100, capMs: 3_000 };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `call`, retrying throttling and transient errors with exponential backoff and full jitter.
 * Answers the result, or `{ gaveUp }` with the last retryable error once the attempts are spent, so
 * the caller can release the work for later instead of dropping it. Other errors are thrown.
 */
export async function withBackoff<T>(call: () => Promise<T>, options: BackoffOptions = DEFAULT_BACKOFF): Promise<{ value: T; retries: number } | { gaveUp: unknown; retries: number }> {
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: await call(), retries: attempt };
    } catch (err) {
      const kind = classifySendError(err);
      if (kind !== "throttled" && kind !== "transient") throw err;
      if (attempt + 1 >= options.attempts) return { gaveUp: err, retries: attempt };
      await wait(random() * Math.min(options.capMs, options.baseMs * 2 ** attempt));
    }
  }
}
