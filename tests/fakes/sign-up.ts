import type { MailQueue } from "../../packages/core/src/platform/ports";
import type { SignUpJob } from "../../packages/core/src/shared/jobs";
import { processSignUp, requestSignUp, type RequestMeta, type SignUpRequestDeps, type SignUpWorkerDeps } from "../../packages/core/src/subscription";
import { RecordingQueue } from "./platform";

/** A sign-up's request path and its worker together: the request's settings, and the send queue the worker fills. */
export type SignUpNowDeps = Omit<SignUpRequestDeps, "queue" | "store"> & { store: SignUpRequestDeps["store"] & SignUpWorkerDeps["store"]; queue: MailQueue };

/**
 * Takes a sign-up request and runs the sign-up worker on what it queued at once, as the queue would
 * soon after: for unit tests about what a sign-up leads to. An invalid stored request throws.
 */
export async function subscribeNow(deps: SignUpNowDeps, body: unknown, meta: RequestMeta): Promise<{ status: "pending" }> {
  const signUps = new RecordingQueue<SignUpJob>();
  const answer = await requestSignUp({ ...deps, queue: signUps }, body, meta);
  for (const job of signUps.drain()) {
    const decided = await processSignUp({ store: deps.store, queue: deps.queue, clock: deps.clock }, job.requestId);
    if (decided.outcome === "invalid") throw new Error(decided.reason);
  }
  return answer;
}
