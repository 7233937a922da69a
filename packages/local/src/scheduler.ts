import { ulid } from "ulid";
import { nextDigestRun, type DigestCadence } from "@mission-mail/core/digest/calendar";
import { announcementScheduleName } from "@mission-mail/core/announcements/schedule-time";
import type { AnnouncementScheduler } from "@mission-mail/core/announcements/ports";
import type { PlanJob } from "@mission-mail/core/shared/jobs";
import type { LocalQueue } from "./queue";

/** Node timers hold at most about 24.8 days; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The local stand-in for EventBridge Scheduler: weekly digests on Mondays at 08:00 and monthly ones
 * on the first Monday at 08:00, Europe/Stockholm, on this machine's clock, plus the outbox sweeper
 * every minute and the retention sweep on start and daily. In AWS the same jobs come from schedules.
 *
 * It also keeps one-off schedules (scheduled announcements), as EventBridge Scheduler's `at()` does
 * in AWS: each puts its job on the plan queue once, when the clock reaches it, and is then gone.
 * Once started they run on the clock by themselves; tests, which do not start it, move time with
 * `runDue(now)`.
 */
export class LocalScheduler {
  private timers = new Set<NodeJS.Timeout>();
  private readonly oneOff = new Map<string, { atMs: number; job: PlanJob; timer?: NodeJS.Timeout }>();
  private started = false;

  constructor(
    private readonly planQueue: LocalQueue<PlanJob>,
    private readonly sweep: () => Promise<(event?: { lookAheadMs?: number }) => Promise<unknown>>,
    private readonly sweepEveryMs = 60_000,
    /** The clock one-off schedules are measured against. */
    private readonly clock: () => number = () => Date.now(),
    /** The daily retention sweep (docs/retention.md), run on start and then every day, as the AWS schedule runs it daily. */
    private readonly retention?: () => Promise<() => Promise<unknown>>,
    private readonly retentionEveryMs = 24 * 3600 * 1000,
  ) {}

  /** Puts `job` on the plan queue at `atMs`, once; the same name again replaces the schedule. */
  scheduleOnce(name: string, atMs: number, job: PlanJob): void {
    this.cancelOnce(name);
    this.oneOff.set(name, { atMs, job });
    if (this.started) this.armOnce(name);
  }

  /** Removes a one-off schedule; removing one that ran or never existed does nothing. */
  cancelOnce(name: string): void {
    const entry = this.oneOff.get(name);
    if (entry?.timer) {
      clearTimeout(entry.timer);
      this.timers.delete(entry.timer);
    }
    this.oneOff.delete(name);
  }

  /** The one-off schedules waiting, soonest first. */
  pendingOnce(): { name: string; atMs: number; job: PlanJob }[] {
    return [...this.oneOff].map(([name, e]) => ({ name, atMs: e.atMs, job: e.job })).sort((a, b) => a.atMs - b.atMs);
  }

  /** Runs every one-off schedule due at `nowMs` (the clock's now by default); answers how many ran. */
  async runDue(nowMs = this.clock()): Promise<number> {
    const due = this.pendingOnce().filter((e) => e.atMs <= nowMs);
    for (const e of due) {
      this.cancelOnce(e.name);
      await this.planQueue.enqueue(e.job);
    }
    return due.length;
  }

  private armOnce(name: string): void {
    const entry = this.oneOff.get(name);
    if (!entry) return;
    const wait = entry.atMs - this.clock();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (wait > MAX_TIMER_MS) return this.armOnce(name);
      if (this.oneOff.get(name)?.timer !== timer) return;
      this.oneOff.delete(name);
      void this.planQueue.enqueue(entry.job).catch((err) => console.error(`[schedule] ${(err as Error).message}`));
    }, Math.min(Math.max(0, wait), MAX_TIMER_MS));
    timer.unref();
    entry.timer = timer;
    this.timers.add(timer);
  }

  start(): void {
    this.started = true;
    // The local queues live in this process: whatever they held died with the last one. Batches the
    // outbox still has unfinished are therefore all enqueued again now, rather than when they would
    // next be due (a batch that was never picked up waits 10 minutes).
    void this.sweepNow({ lookAheadMs: 60 * 60_000 }).catch((err) => console.error(`[sweeper] ${(err as Error).message}`));
    for (const name of this.oneOff.keys()) this.armOnce(name);
    for (const cadence of ["daily", "weekly", "monthly"] as DigestCadence[]) this.at(nextDigestRun(cadence, Date.now()), () => this.runDigest(cadence));
    const sweep = setInterval(() => void this.sweepNow().catch((err) => console.error(`[sweeper] ${(err as Error).message}`)), this.sweepEveryMs);
    sweep.unref();
    this.timers.add(sweep);
    if (this.retention) {
      const retain = () => void this.retentionNow().catch((err) => console.error(`[retention] ${(err as Error).message}`));
      retain();
      const daily = setInterval(retain, this.retentionEveryMs);
      daily.unref();
      this.timers.add(daily);
    }
  }

  /** Runs the retention sweep once, as the daily schedule does. */
  async retentionNow(): Promise<unknown> {
    return this.retention ? (await this.retention())() : undefined;
  }

  /** Enqueues the digest of the current period, as the schedule does. */
  async runDigest(cadence: DigestCadence): Promise<void> {
    await this.planQueue.enqueue({ kind: "plan-digest", cadence, runId: `scheduled-${ulid()}` });
    this.at(nextDigestRun(cadence, Date.now()), () => this.runDigest(cadence));
  }

  /** Runs the outbox sweeper once; `lookAheadMs` also takes batches that will only be due that much later. */
  async sweepNow(event?: { lookAheadMs?: number }): Promise<unknown> {
    return (await this.sweep())(event);
  }

  stop(): void {
    this.started = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const entry of this.oneOff.values()) delete entry.timer;
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

/**
 * The local stand-in for EventBridge Scheduler's one-off announcement schedules: the local scheduler's
 * clock puts the same `plan-announcement` job on the plan queue at the same instant.
 */
export class LocalAnnouncementScheduler implements AnnouncementScheduler {
  constructor(private readonly scheduler: LocalScheduler) {}

  async schedule(announcementId: string, atMs: number): Promise<void> {
    this.scheduler.scheduleOnce(announcementScheduleName(announcementId, atMs), atMs, { kind: "plan-announcement", id: announcementId, at: atMs });
  }

  async unschedule(announcementId: string, atMs: number): Promise<void> {
    this.scheduler.cancelOnce(announcementScheduleName(announcementId, atMs));
  }
}
