import { stockholmWallTime } from "../shared/stockholm-time";
import { AppError } from "../shared/errors";
import type { Clock } from "../platform/ports";
import type { MissionStats, StatCounter } from "./ports";
import type { MissionDirectory } from "../shared/missions";
import type { Language } from "../shared/vocabulary";

/** Everything the charts count, in the order they are shown. */
export const STAT_COUNTERS: StatCounter[] = ["joined", "left", "sent", "bounced", "complained", "unsubscribed", "neverSignedUp"];

/** The calendar day (YYYY-MM-DD) of an instant in Stockholm: the unit the charts count in. */
export function statsDay(ms: number): string {
  const w = stockholmWallTime(ms);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** The days from `from` to `to`, both included (YYYY-MM-DD, calendar arithmetic in UTC). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Counts a change of a subscriber's missions: `joined` for each mission gained, `left` for each
 * lost (and `unsubscribed` when they left everything by unsubscribing), moving each mission's
 * running subscriber total. Statistics never fail the change they describe: a failed write is lost.
 */
export async function countMembership(stats: MissionStats | undefined, before: string[], after: string[], atMs: number, unsubscribed = false): Promise<void> {
  if (!stats) return;
  const day = statsDay(atMs);
  const joined = after.filter((m) => !before.includes(m));
  const left = before.filter((m) => !after.includes(m));
  await Promise.all([
    ...joined.map((m) => stats.add(m, day, { joined: 1 }, 1)),
    ...left.map((m) => stats.add(m, day, unsubscribed ? { left: 1, unsubscribed: 1 } : { left: 1 }, -1)),
  ]);
}

/** Counts one event per mission of each recipient (an email sent, a bounce, a complaint), one write per mission. */
export async function countForRecipients(stats: MissionStats | undefined, missionsOfRecipients: string[][], counter: StatCounter, atMs: number): Promise<void> {
  if (!stats || !missionsOfRecipients.length) return;
  const per = new Map<string, number>();
  for (const missions of missionsOfRecipients) for (const m of new Set(missions)) per.set(m, (per.get(m) ?? 0) + 1);
  const day = statsDay(atMs);
  await Promise.all([...per].map(([m, n]) => stats.add(m, day, { [counter]: n })));
}

/** One day of one mission on a chart: its subscribers at the end of the day and what happened that day. */
export interface DayStats extends Record<StatCounter, number> {
  day: string;
  subscribers: number;
}

/**
 * A mission's series over days ending today: every day present (zeros where nothing happened), with
 * the subscriber count at each day's end worked back from the running total.
 */
export function missionSeries(days: string[], rows: Map<string, Partial<Record<StatCounter, number>>>, total: number): DayStats[] {
  let subscribers = total;
  const out: DayStats[] = [];
  for (const day of [...days].reverse()) {
    const r = rows.get(day) ?? {};
    out.push({ day, subscribers, joined: r.joined ?? 0, left: r.left ?? 0, sent: r.sent ?? 0, bounced: r.bounced ?? 0, complained: r.complained ?? 0, unsubscribed: r.unsubscribed ?? 0, neverSignedUp: r.neverSignedUp ?? 0 });
    subscribers -= (r.joined ?? 0) - (r.left ?? 0);
  }
  return out.reverse();
}

/** A mission's chart data: the daily series and the window's totals. */
export interface MissionChart {
  id: string;
  name: Record<Language, string>;
  status: "active" | "retired";
  /** Subscribers now. */
  subscribers: number;
  totals: Record<StatCounter, number>;
  series: DayStats[];
}

/** The per-mission statistics of the last `days` days (today included), for every mission or the ones asked for. */
export async function missionCharts(
  deps: { stats: MissionStats; store: MissionDirectory; clock: Clock },
  query: { days: number; missions?: string[] },
): Promise<{ from: string; to: string; missions: MissionChart[] }> {
  if (!Number.isInteger(query.days) || query.days < 1 || query.days > 366) throw new AppError(400, "invalid_days", "days must be a whole number from 1 to 366.");
  const catalogue = await deps.store.listMissions();
  const unknown = (query.missions ?? []).filter((id) => !catalogue.some((m) => m.id === id));
  if (unknown.length) throw new AppError(404, "mission_not_found", `No mission ${unknown.map((u) => `"${u.slice(0, 64)}"`).join(", ")}.`);
  const now = deps.clock.now();
  const to = statsDay(now);
  const from = statsDay(now - (query.days - 1) * 86_400_000);
  const days = daysBetween(from, to);
  const chosen = catalogue.filter((m) => !query.missions?.length || query.missions.includes(m.id));
  const missions = await Promise.all(
    chosen.map(async (m): Promise<MissionChart> => {
      const { days: rows, total } = await deps.stats.read(m.id, from, to);
      const series = missionSeries(days, rows, total);
      const totals = Object.fromEntries(STAT_COUNTERS.map((c) => [c, series.reduce((sum, d) => sum + d[c], 0)])) as Record<StatCounter, number>;
      return { id: m.id, name: m.name, status: m.status, subscribers: total, totals, series };
    }),
  );
  return { from, to, missions };
}
