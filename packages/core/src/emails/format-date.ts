import type { Language } from "../shared/vocabulary";

/** Every date and time in an email is shown in Swedish local time, whatever the reader's time zone. */
export const EMAIL_TIME_ZONE = "Europe/Stockholm";

const LOCALE: Record<Language, string> = { sv: "sv-SE", en: "en-GB" };

interface LocalParts {
  /** "torsdag 3 december 2026" / "Thursday 3 December 2026" */
  date: string;
  /** "09.00" (sv) / "09:00" (en) */
  time: string;
  /** The calendar day in Stockholm, to tell whether two instants fall on the same day. */
  day: string;
}

const formatters = new Map<Language, Intl.DateTimeFormat>();

function formatter(language: Language): Intl.DateTimeFormat {
  let f = formatters.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE[language], {
      timeZone: EMAIL_TIME_ZONE,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(language, f);
  }
  return f;
}

function localParts(iso: string, language: Language): LocalParts {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new Error(`Not a date-time: ${JSON.stringify(iso)}`);
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter(language).formatToParts(instant)) p[part.type] = part.value;
  // Assembled from parts rather than taken whole, so the result does not depend on the ICU version's
  // punctuation; Swedish writes times with a full stop (09.00), English with a colon (09:00).
  const date = `${p.weekday} ${p.day} ${p.month} ${p.year}`;
  const time = `${p.hour}${language === "sv" ? "." : ":"}${p.minute}`;
  return { date, time, day: `${p.year}-${p.month}-${p.day}` };
}

/** "torsdag 3 december 2026" / "Thursday 3 December 2026", in Stockholm time. */
export function formatDate(iso: string, language: Language): string {
  return localParts(iso, language).date;
}

/** "09.00" / "09:00", in Stockholm time. */
export function formatTime(iso: string, language: Language): string {
  return localParts(iso, language).time;
}

/**
 * When a seminar takes place, in Stockholm time: "torsdag 3 december 2026 kl. 09.00–11.00" /
 * "Thursday 3 December 2026, 09:00–11:00". A seminar over several days names both days.
 */
export function formatSeminarTime(startsAt: string, endsAt: string, language: Language): string {
  const start = localParts(startsAt, language);
  const end = localParts(endsAt, language);
  const at = (p: LocalParts) => (language === "sv" ? `${p.date} kl. ${p.time}` : `${p.date}, ${p.time}`);
  if (start.day !== end.day) return `${at(start)} – ${at(end)}`;
  if (start.time === end.time) return at(start);
  return `${at(start)}–${end.time}`;
}

/** "december 2026" / "December 2026" for a calendar month (1–12). */
/** A calendar day, "2 december 2026" or "2 December 2026". */
export function formatDay(year: number, month: number, day: number, language: Language): string {
  const d = new Date(Date.UTC(year, month - 1, day, 12));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) throw new Error(`Not a day: ${year}-${month}-${day}`);
  return new Intl.DateTimeFormat(LOCALE[language], { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(d);
}

export function formatMonth(year: number, month: number, language: Language): string {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) throw new Error(`Not a month: ${year}-${month}`);
  return new Intl.DateTimeFormat(LOCALE[language], { timeZone: "UTC", month: "long", year: "numeric" }).format(new Date(Date.UTC(year, month - 1, 15)));
}
