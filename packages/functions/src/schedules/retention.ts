import type { RetentionReport } from "@mission-mail/core/retention/ports";
import { sweepRetention } from "@mission-mail/core/retention/sweep-retention";
import { logger } from "../lib/logger";
import { lambdaWiring } from "../wiring/lambda";
import { retaining } from "../wiring/retention";
import type { Wiring } from "../wiring/wiring";

/**
 * Runs daily (and when the local cloud starts): the retention sweep of docs/retention.md. Logs one
 * line with the count per category and the categories it left work in (the next run continues).
 */
export async function run(_event: unknown, context: { getRemainingTimeInMillis?: () => number } | undefined, wiring: Wiring | Promise<Wiring>): Promise<RetentionReport> {
  const deps = retaining(await wiring);
  // Stop taking new pages a minute before the function's timeout; the next run continues.
  const remaining = context?.getRemainingTimeInMillis?.();
  const report = await sweepRetention(deps, remaining === undefined ? {} : { deadlineMs: deps.clock.now() + remaining - 60_000 });
  logger.info("retention sweep", { ...report.counts, more: report.more });
  return report;
}

/** The Lambda function: the retention sweep on the process-wide wiring. */
export const handler = (event?: unknown, context?: { getRemainingTimeInMillis?: () => number }) => run(event, context, lambdaWiring());
