import { ulid } from "ulid";
import { nextDigestRun, type DigestCadence } from "@mission-mail/core/digest/calendar";
import type { PlanJob } from "@mission-mail/core/ports";
import type { LocalQueue } from "./queue";

/** Node timers hold at most about 24.8 days; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The local stand-in for EventBridge Scheduler: weekly digests on Mondays at 08:00 and monthly ones
 * on the first Monday at 08:00, Europe/Stockholm, on this machine's clock, plus the outbox sweeper
 * every minute. In AWS the same jobs come from schedules with a time zone.
 */
export class LocalScheduler {
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly planQueue: LocalQueue<PlanJob>,
    private readonly sweep: () => Promise<() => Promise<unknown>>,
    private readonly sweepEveryMs = 60_000,
  ) {}

  start(): void {
    for (const cadence of ["weekly", "monthly"] as DigestCadence[]) this.at(nextDigestRun(cadence, Date.now()), () => this.runDigest(cadence));
    const sweep = setInterval(() => void this.sweepNow().catch((err) => console.error(`[sweeper] ${(err as Error).message}`)), this.sweepEveryMs);
    sweep.unref();
    this.timers.add(sweep);
  }

  /** Enqueues the digest of the current period, as the schedule does. */
  async runDigest(cadence: DigestCadence): Promise<void> {
    await this.planQueue.enqueue({ kind: "plan-digest", cadence, runId: `scheduled-${ulid()}` });
    this.at(nextDigestRun(cadence, Date.now()), () => this.runDigest(cadence));
  }

  /** Runs the outbox sweeper once. */
  async sweepNow(): Promise<unknown> {
    return (await this.sweep())();
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private at(whenMs: number, run: () => Promise<void>): void {
    const wait = whenMs - Date.now();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (wait > MAX_TIMER_MS) this.at(whenMs, run);
      else void run().catch((err) => console.error(`[schedule] ${(err as Error).message}`));
    }, Math.min(Math.max(0, wait), MAX_TIMER_MS));
    timer.unref();
    this.timers.add(timer);
  }
}
