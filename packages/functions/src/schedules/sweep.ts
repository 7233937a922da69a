import { sweepDueBatches } from "@mission-mail/core/campaigns/sweep";
import { logger } from "../lib/logger";
import { sweeping } from "../wiring/campaigns";
import { lambdaWiring } from "../wiring/lambda";
import type { Wiring } from "../wiring/wiring";

/** The sweeper's event: empty from the schedule; the local stack passes `lookAheadMs` on start. */
export type SweepEvent = { lookAheadMs?: unknown } | undefined;

/**
 * Runs every minute: re-enqueues unfinished campaign batches whose lease expired or whose pointer was
 * never picked up (`sweepDueBatches`). `lookAheadMs` (only the local stack passes it, on start, when
 * its in-process queues are empty) takes batches due later too.
 */
export async function run(event: SweepEvent, _context: unknown, wiring: Wiring | Promise<Wiring>): Promise<{ requeued: number }> {
  const lookAheadMs = typeof event?.lookAheadMs === "number" ? event.lookAheadMs : 0;
  const result = await sweepDueBatches(sweeping(await wiring), { lookAheadMs });
  if (result.requeued) logger.warn("sweeper re-enqueued unfinished batches", result);
  return result;
}

/** The Lambda function: the sweep on the process-wide wiring. */
export const handler = (event?: SweepEvent) => run(event, undefined, lambdaWiring());
