import { stockholmInstants, stockholmWallTime } from "../shared/stockholm-time";

/** How far ahead a send may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

/** A parsed send time: the instant and the wall time as given, or why it cannot be used. */
export type ScheduleTime = { ok: true; atMs: number; wall: string } | { ok: false; code: "invalid_time" | "nonexistent_time" | "ambiguous_time" | "time_in_past" | "time_too_far"; message: string };

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as a Stockholm wall-clock time, `2026-12-01T09:00` (what staff typed, and what Scheduler's `at()` takes). */
export function stockholmWallString(ms: number, seconds = false): string {
  const w = stockholmWallTime(ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ""}`;
}

/**
 * Reads a wall-clock time in Europe/Stockholm (`2026-12-01T09:00`) as the instant it names. Clocks
 * skip an hour on the last Sunday of March and repeat one on the last Sunday of October: a time in the
 * skipped hour does not exist and one in the repeated hour is ambiguous, so both are refused with a
 * reason rather than moved. So is a time that has passed, or one more than a year ahead.
 */
export function parseStockholmTime(text: string, nowMs: number): ScheduleTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::00)?$/.exec(text);
  if (!m) return { ok: false, code: "invalid_time", message: `"${text.slice(0, 40)}" is not a time like 2026-12-01T09:00.` };
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59) {
    return { ok: false, code: "invalid_time", message: `${text} is not a real date and time.` };
  }
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  const instants = stockholmInstants(year, month, day, hour, minute);
  if (instants.length === 0) {
    return { ok: false, code: "nonexistent_time", message: `${wall} does not exist in Stockholm: the clocks go forward an hour that night. Choose another time.` };
  }
  if (instants.length > 1) {
    return { ok: false, code: "ambiguous_time", message: `${wall} happens twice in Stockholm: the clocks go back an hour that night. Choose a time outside 02:00–02:59.` };
  }
  const atMs = instants[0]!;
  if (atMs <= nowMs) return { ok: false, code: "time_in_past", message: `${wall} Stockholm time has already passed; to send now, leave out "at".` };
  if (atMs - nowMs > MAX_SCHEDULE_AHEAD_MS) return { ok: false, code: "time_too_far", message: `${wall} is more than a year ahead.` };
  return { ok: true, atMs, wall };
}

/** A one-off schedule's name: one per announcement and instant, so a new time never overwrites an old schedule in place. */
export const announcementScheduleName = (announcementId: string, atMs: number) => `announcement-${announcementId}-${Math.floor(atMs / 1000).toString(36)}`;
