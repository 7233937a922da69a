import type { MissionStats, ServiceCounter, ServiceTotals, StatCounter } from "./ports";

/**
 * Counters added during one unit of work (a send queue invocation's batches), summed in memory and
 * written once at its end: each mission's day once, and the service's day once, instead of once per
 * batch. Statistics are best effort by contract (`add` never throws), so holding them until `flush`
 * changes only when they are written: a process that dies before flushing loses them, as a failed
 * write would. Reads go straight to the stores.
 */
export class StatsTally {
  private readonly missions = new Map<string, { missionId: string; day: string; counts: Partial<Record<StatCounter, number>>; total: number }>();
  private readonly service = new Map<string, { counts: Partial<Record<ServiceCounter, number>>; shardKey: string }>();

  constructor(
    private readonly target: { stats?: MissionStats; totals?: ServiceTotals },
  ) {}

  /** The per-mission counters as a `MissionStats` that sums here; undefined when there is no store to write to. */
  get stats(): MissionStats | undefined {
    const stats = this.target.stats;
    if (!stats) return undefined;
    return {
      add: async (missionId, day, counts, totalDelta) => {
        const key = `${missionId}\u0000${day}`;
        const entry = this.missions.get(key) ?? { missionId, day, counts: {}, total: 0 };
        for (const [name, n] of Object.entries(counts) as [StatCounter, number][]) if (n) entry.counts[name] = (entry.counts[name] ?? 0) + n;
        entry.total += totalDelta ?? 0;
        this.missions.set(key, entry);
      },
      read: (missionId, fromDay, toDay) => stats.read(missionId, fromDay, toDay),
    };
  }

  /** The service-wide totals as a `ServiceTotals` that sums here (per day, written under the first shard key seen). */
  get totals(): ServiceTotals | undefined {
    const totals = this.target.totals;
    if (!totals) return undefined;
    return {
      add: async (day, counts, shardKey) => {
        const entry = this.service.get(day) ?? { counts: {}, shardKey };
        for (const [name, n] of Object.entries(counts) as [ServiceCounter, number][]) if (n) entry.counts[name] = (entry.counts[name] ?? 0) + n;
        this.service.set(day, entry);
      },
      read: (fromDay, toDay) => totals.read(fromDay, toDay),
    };
  }

  /** Writes everything summed so far, each mission's day and the service's day once, and starts again. */
  async flush(): Promise<void> {
    const missions = [...this.missions.values()];
    const service = [...this.service];
    this.missions.clear();
    this.service.clear();
    await Promise.all([
      ...missions
        .filter((m) => m.total || Object.values(m.counts).some((n) => n))
        .map((m) => this.target.stats?.add(m.missionId, m.day, m.counts, m.total || undefined)),
      ...service.filter(([, s]) => Object.values(s.counts).some((n) => n)).map(([day, s]) => this.target.totals?.add(day, s.counts, s.shardKey)),
    ]);
  }
}
