import { deps } from "../lib/deps";
import { logger } from "../lib/logger";

/** How long after a re-enqueue the sweeper looks at a batch again. */
const RECHECK_MS = 5 * 60_000;

/**
 * Runs every minute: finds unfinished batches whose lease expired or whose pointer was never picked
 * up (a crash, a lost message, a killed local stack) and enqueues them again. Re-enqueuing is always
 * safe: the sender's lease and the batch's status make a second pointer harmless.
 */
export async function handler(): Promise<{ requeued: number }> {
  const d = await deps();
  const now = d.clock.now();
  let requeued = 0;
  for (;;) {
    const due = await d.outbox.dueBatches(now, 100);
    if (!due.length) break;
    await d.queue.enqueueMany(due.map((b) => ({ kind: "batch" as const, campaign: b.campaign, batch: b.batch })));
    for (const b of due) await d.outbox.postpone(b.campaign, b.batch, now + RECHECK_MS);
    requeued += due.length;
    if (due.length < 100) break;
  }
  if (requeued) logger.warn("sweeper re-enqueued unfinished batches", { requeued });
  return { requeued };
}
