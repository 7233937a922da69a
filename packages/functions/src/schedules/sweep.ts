import { deps } from "../lib/deps";
import { logger } from "../lib/logger";

/** How long after a re-enqueue the sweeper looks at a batch again. */
const RECHECK_MS = 5 * 60_000;

/**
 * Runs every minute: finds unfinished batches whose lease expired or whose pointer was never picked
 * up (a crash, a lost message, a killed local stack) and enqueues them again. Re-enqueuing is always
 * safe: the sender's lease and the batch's status make a second pointer harmless. `lookAheadMs` (only
 * the local stack passes it, on start, when its in-process queues are empty) takes batches due later too.
 */
export async function handler(event?: { lookAheadMs?: unknown }): Promise<{ requeued: number }> {
  const d = await deps();
  const lookAhead = typeof event?.lookAheadMs === "number" && event.lookAheadMs > 0 ? Math.min(event.lookAheadMs, 24 * 3600_000) : 0;
  const now = d.clock.now();
  let requeued = 0;
  const seen = new Set<string>();
  for (;;) {
    // Postponed batches fall inside a long look-ahead again: each is taken once per sweep.
    const due = (await d.outbox.dueBatches(now + lookAhead, 100 + seen.size)).filter((b) => !seen.has(`${b.campaign}#${b.batch}`)).slice(0, 100);
    if (!due.length) break;
    await d.queue.enqueueMany(due.map((b) => ({ kind: "batch" as const, campaign: b.campaign, batch: b.batch })));
    for (const b of due) {
      await d.outbox.postpone(b.campaign, b.batch, now + RECHECK_MS);
      seen.add(`${b.campaign}#${b.batch}`);
    }
    requeued += due.length;
    if (due.length < 100) break;
  }
  if (requeued) logger.warn("sweeper re-enqueued unfinished batches", { requeued });
  return { requeued };
}
