import type { Cadence } from "../shared/vocabulary";
import { STOCKHOLM_TIME_ZONE, stockholmToEpoch, stockholmWallTime, utcFields } from "../shared/stockholm-time";

/** The cadences that are sent as digests; "immediate" mail is not batched into periods. */
export type DigestCadence = Exclude<Cadence, "immediate">;

/** The time zone every digest schedule and period boundary is defined in. */
export const DIGEST_TIME_ZONE = STOCKHOLM_TIME_ZONE;

/** Local hour (Stockholm) at which scheduled digests go out. */
export const DIGEST_HOUR = 8;

const DAY_MS = 86_400_000;
const DAY_PERIOD = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_PERIOD = /^(\d{4})-W(\d{2})$/;
const MONTH_PERIOD = /^(\d{4})-(\d{2})$/;
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

/** Days since the epoch for a calendar date, so dates can be stepped without time-zone effects. */
function dayNumber(year: number, month: number, day: number): number {
  return utcFields(year, month, day) / DAY_MS;
}

function fromDayNumber(days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: ((d.getUTCDay() + 6) % 7) + 1 };
}

/** ISO-8601 week of a calendar date: the week (Monday–Sunday) belongs to the year of its Thursday. */
function isoWeekOf(year: number, month: number, day: number): { isoYear: number; week: number } {
  const days = dayNumber(year, month, day);
  const thursday = fromDayNumber(days + 4 - fromDayNumber(days).weekday);
  const week = Math.floor((dayNumber(thursday.year, thursday.month, thursday.day) - dayNumber(thursday.year, 1, 1)) / 7) + 1;
  return { isoYear: thursday.year, week };
}

/** Day number of the Monday that starts ISO week `week` of `isoYear` (week 1 holds 4 January). */
function isoWeekMonday(isoYear: number, week: number): number {
  const jan4 = dayNumber(isoYear, 1, 4);
  return jan4 - (fromDayNumber(jan4).weekday - 1) + (week - 1) * 7;
}

function weeksInIsoYear(isoYear: number): number {
  return isoWeekOf(isoYear, 12, 28).week;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** A parsed digest period: a day ("2026-12-02"), an ISO week ("2026-W48") or a calendar month ("2026-12"). */
export type DigestPeriod =
  | { cadence: "daily"; year: number; month: number; day: number }
  | { cadence: "weekly"; isoYear: number; week: number }
  | { cadence: "monthly"; year: number; month: number };

/**
 * Parses and validates a period string, so malformed periods from requests or stored items fail
 * loudly instead of silently scheduling the wrong dates.
 */
export function parsePeriod(period: string): DigestPeriod {
  const text = typeof period === "string" ? period : String(period);
  const day = DAY_PERIOD.exec(text);
  if (day) {
    const [year, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    checkYear(year, text);
    if (m < 1 || m > 12) throw new Error(`Invalid digest period "${text}": month must be 01–12.`);
    const last = fromDayNumber(dayNumber(m === 12 ? year + 1 : year, m === 12 ? 1 : m + 1, 1) - 1).day;
    if (d < 1 || d > last) throw new Error(`Invalid digest period "${text}": ${year}-${pad(m)} has days 01–${last}.`);
    return { cadence: "daily", year, month: m, day: d };
  }
  const week = WEEK_PERIOD.exec(text);
  if (week) {
    const isoYear = Number(week[1]);
    const n = Number(week[2]);
    checkYear(isoYear, text);
    const max = weeksInIsoYear(isoYear);
    if (n < 1 || n > max) throw new Error(`Invalid digest period "${text}": ${isoYear} has ISO weeks W01–W${max}.`);
    return { cadence: "weekly", isoYear, week: n };
  }
  const month = MONTH_PERIOD.exec(text);
  if (month) {
    const year = Number(month[1]);
    const m = Number(month[2]);
    checkYear(year, text);
    if (m < 1 || m > 12) throw new Error(`Invalid digest period "${text}": month must be 01–12.`);
    return { cadence: "monthly", year, month: m };
  }
  throw new Error(`Invalid digest period "${text}": expected a day like "2026-12-02", an ISO week like "2026-W48" or a month like "2026-12".`);
}

function checkYear(year: number, text: string): void {
  if (year < MIN_YEAR || year > MAX_YEAR) throw new Error(`Invalid digest period "${text}": year must be ${MIN_YEAR}–${MAX_YEAR}.`);
}

function formatPeriod(p: DigestPeriod): string {
  if (p.cadence === "daily") return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  return p.cadence === "weekly" ? `${pad(p.isoYear, 4)}-W${pad(p.week)}` : `${pad(p.year, 4)}-${pad(p.month)}`;
}

/**
 * The period an instant falls in, read on the Stockholm calendar: a day ("2026-12-02") for daily
 * digests, an ISO-8601 week ("2026-W53",
 * with the ISO week-numbering year) for weekly digests, a month ("2026-12") for monthly ones. Used to
 * key digest batches so each subscriber gets at most one digest per period.
 */
export function digestPeriod(cadence: DigestCadence, atMs: number): string {
  const wall = stockholmWallTime(atMs);
  if (cadence === "daily") return formatPeriod({ cadence, year: wall.year, month: wall.month, day: wall.day });
  if (cadence === "weekly") {
    const { isoYear, week } = isoWeekOf(wall.year, wall.month, wall.day);
    return formatPeriod({ cadence, isoYear, week });
  }
  if (cadence === "monthly") return formatPeriod({ cadence, year: wall.year, month: wall.month });
  throw new Error(`Unknown digest cadence: ${String(cadence)}`);
}

/**
 * Epoch ms at which a period begins: 00:00 Stockholm time on the day, on the Monday of the ISO week, or on the
 * first day of the month. Content published from this instant on belongs to the period.
 */
export function periodStart(period: string): number {
  const p = parsePeriod(period);
  if (p.cadence === "daily") return stockholmToEpoch(p.year, p.month, p.day, 0, 0);
  if (p.cadence === "monthly") return stockholmToEpoch(p.year, p.month, 1, 0, 0);
  const monday = fromDayNumber(isoWeekMonday(p.isoYear, p.week));
  return stockholmToEpoch(monday.year, monday.month, monday.day, 0, 0);
}

/** The period immediately before `period`, of the same cadence (for "what did the last digest cover"). */
export function previousPeriod(period: string): string {
  const p = parsePeriod(period);
  if (p.cadence === "daily") {
    const prior = fromDayNumber(dayNumber(p.year, p.month, p.day) - 1);
    return formatPeriod({ cadence: "daily", year: prior.year, month: prior.month, day: prior.day });
  }
  if (p.cadence === "monthly") {
    return formatPeriod(p.month === 1 ? { cadence: "monthly", year: p.year - 1, month: 12 } : { cadence: "monthly", year: p.year, month: p.month - 1 });
  }
  const prior = fromDayNumber(isoWeekMonday(p.isoYear, p.week) - 7);
  return formatPeriod({ cadence: "weekly", ...isoWeekOf(prior.year, prior.month, prior.day) });
}

/** Day number of the first Monday of a month. */
function firstMonday(year: number, month: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((8 - fromDayNumber(first).weekday) % 7);
}

function runAt(days: number): number {
  const d = fromDayNumber(days);
  return stockholmToEpoch(d.year, d.month, d.day, DIGEST_HOUR, 0);
}

/**
 * Epoch ms of the first scheduled digest run strictly after `afterMs`: daily digests go out every day
 * at 08:00 Stockholm time (so 06:00 or 07:00 UTC, following daylight saving time), weekly digests every
 * Monday at 08:00 Stockholm time, monthly digests on the first Monday of each month at 08:00. A call
 * at exactly a run instant returns the following run, so a scheduler can chain runs without repeats.
 */
export function nextDigestRun(cadence: DigestCadence, afterMs: number): number {
  const wall = stockholmWallTime(afterMs);
  if (cadence === "daily") {
    const today = runAt(dayNumber(wall.year, wall.month, wall.day));
    return today > afterMs ? today : runAt(dayNumber(wall.year, wall.month, wall.day) + 1);
  }
  if (cadence === "weekly") {
    const monday = dayNumber(wall.year, wall.month, wall.day) - (wall.weekday - 1);
    const thisWeek = runAt(monday);
    return thisWeek > afterMs ? thisWeek : runAt(monday + 7);
  }
  if (cadence === "monthly") {
    const thisMonth = runAt(firstMonday(wall.year, wall.month));
    if (thisMonth > afterMs) return thisMonth;
    return wall.month === 12 ? runAt(firstMonday(wall.year + 1, 1)) : runAt(firstMonday(wall.year, wall.month + 1));
  }
  throw new Error(`Unknown digest cadence: ${String(cadence)}`);
}
