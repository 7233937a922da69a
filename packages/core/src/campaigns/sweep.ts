import type { Clock, MailQueue } from "../platform/ports";
import type { BatchOutbox } from "./ports";

/** How long after a re-enqueue the sweeper looks at a batch again. */
export const SWEEP_RECHECK_MS = 5 * 60_000;

/** The longest look-ahead a sweep takes (a day). */
export const MAX_SWEEP_LOOK_AHEAD_MS = 24 * 3600_000;

const PAGE = 100;

export interface SweepDeps {
  outbox: Pick<BatchOutbox, "dueBatches" | "postpone">;
  sendQueue: MailQueue;
  clock: Clock;
}

/**
 * The outbox's re-queue policy: finds unfinished batches whose lease expired or whose pointer was
 * never picked up (a crash, a lost message, a killed local stack), enqueues a pointer to each again
 * and postpones its next check by `SWEEP_RECHECK_MS`. Re-enqueuing is always safe: the sender's
 * lease and the batch's status make a second pointer harmless. `lookAheadMs` (at most a day) takes
 * batches due later too; the local stack passes it on start, when its in-process queues are empty.
 * Each batch is taken once per sweep, a page of 100 at a time. Answers how many were re-enqueued.
 */
export async function sweepDueBatches(deps: SweepDeps, options: { lookAheadMs?: number } = {}): Promise<{ requeued: number }> {
  const lookAhead = options.lookAheadMs && options.lookAheadMs > 0 ? Math.min(options.lookAheadMs, MAX_SWEEP_LOOK_AHEAD_MS) : 0;
  const now = deps.clock.now();
  let requeued = 0;
  const seen = new Set<string>();
  for (;;) {
    // Postponed batches fall inside a long look-ahead again: each is taken once per sweep.
    const due = (await deps.outbox.dueBatches(now + lookAhead, PAGE + seen.size)).filter((b) => !seen.has(`${b.campaign}#${b.batch}`)).slice(0, PAGE);
    if (!due.length) break;
    await deps.sendQueue.enqueueMany(due.map((b) => ({ kind: "batch" as const, campaign: b.campaign, batch: b.batch })));
    for (const b of due) {
      await deps.outbox.postpone(b.campaign, b.batch, now + SWEEP_RECHECK_MS);
      seen.add(`${b.campaign}#${b.batch}`);
    }
    requeued += due.length;
    if (due.length < PAGE) break;
  }
  return { requeued };
}

/** How long after a re-enqueue by `requeueUnsentBatches` the sweeper looks at a batch again. */
export const REQUEUE_RECHECK_MS = 10 * 60_000;

/**
 * Re-enqueues every batch of one campaign not sent yet, at once (a paused batch was put off by a
 * day), and moves each one's next sweep ten minutes on: the sweep's re-queue, for one campaign, when
 * staff resume or cancel it. After a resume the sender sends them; after a cancel it marks their
 * recipients skipped (`cancelled`) and completes them, so the counters settle. As with the sweep,
 * a second pointer is harmless: a batch already sent answers as a duplicate, so nobody gets two
 * copies. Answers how many batches were enqueued.
 */
export async function requeueUnsentBatches(
  deps: { campaigns: { unsentBatches(key: string): Promise<number[]> }; outbox: Pick<BatchOutbox, "postpone">; sendQueue: MailQueue; clock: Clock },
  key: string,
): Promise<number> {
  const batches = await deps.campaigns.unsentBatches(key);
  const recheckAt = deps.clock.now() + REQUEUE_RECHECK_MS;
  for (const batch of batches) await deps.outbox.postpone(key, batch, recheckAt);
  await deps.sendQueue.enqueueMany(batches.map((batch) => ({ kind: "batch" as const, campaign: key, batch })));
  return batches.length;
}
