/** Stockholm wall-clock time: digests, schedules, emails and statistics all follow the Swedish calendar. */

/** The time zone of every schedule, period boundary and date shown in an email. */
export const STOCKHOLM_TIME_ZONE = "Europe/Stockholm";

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * A Stockholm wall-clock reading. `weekday` is ISO: 1 = Monday … 7 = Sunday; `month` is 1–12.
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** Made on first use, not when the module loads: a time zone's first formatter loads ICU's zone data, which a cold start that never reads the calendar need not pay for. */
let formatter: Intl.DateTimeFormat | undefined;
const stockholmFormatter = () => (formatter ??= new Intl.DateTimeFormat("en-US", {
  timeZone: STOCKHOLM_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  weekday: "short",
}));

/**
 * Reads an instant as Stockholm wall-clock time, so schedules and periods follow the local calendar
 * (including daylight saving) rather than UTC.
 */
export function stockholmWallTime(ms: number): WallTime {
  if (!Number.isFinite(ms)) throw new Error(`Not a valid instant: ${ms}`);
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const part of stockholmFormatter().formatToParts(ms)) {
    switch (part.type) {
      case "year":
      case "month":
      case "day":
      case "hour":
      case "minute":
      case "second":
        wall[part.type] = Number(part.value);
        break;
      case "weekday":
        wall.weekday = WEEKDAYS[part.value] ?? 0;
        break;
    }
  }
  return wall;
}

/** Stockholm's offset from UTC at an instant, in ms (3,600,000 in winter, 7,200,000 in summer). */
function offsetAt(ms: number): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const w = stockholmWallTime(wholeSecond);
  return utcFields(w.year, w.month, w.day, w.hour, w.minute, w.second) - wholeSecond;
}

/** `Date.UTC` without its mapping of years 0–99 onto 1900–1999. */
export function utcFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/**
 * The instant at which Stockholm clocks show the given wall time. An ambiguous time (the repeated
 * hour in October) resolves to its first occurrence; a skipped time (the missing hour in March)
 * resolves to the instant the clocks jump, shifted forward by the gap.
 */
export function stockholmToEpoch(year: number, month: number, day: number, hour: number, minute: number): number {
  const naive = utcFields(year, month, day, hour, minute);
  const offsetBefore = offsetAt(naive - DAY_MS);
  const offsetAfter = offsetAt(naive + DAY_MS);
  const matches = [naive - offsetBefore, naive - offsetAfter].filter((t) => {
    const w = stockholmWallTime(t);
    return utcFields(w.year, w.month, w.day, w.hour, w.minute) === naive;
  });
  return matches.length > 0 ? Math.min(...matches) : naive - offsetBefore;
}

/**
 * Every instant at which Stockholm clocks show this wall time, earliest first: one on most days, none
 * in the hour the clocks skip in March, two in the hour they repeat in October. Scheduled
 * announcements refuse the last two cases rather than guess.
 */
export function stockholmInstants(year: number, month: number, day: number, hour: number, minute: number): number[] {
  const naive = utcFields(year, month, day, hour, minute);
  const candidates = new Set([naive - offsetAt(naive - DAY_MS), naive - offsetAt(naive + DAY_MS)]);
  return [...candidates]
    .filter((t) => {
      const w = stockholmWallTime(t);
      return utcFields(w.year, w.month, w.day, w.hour, w.minute) === naive;
    })
    .sort((a, b) => a - b);
}
