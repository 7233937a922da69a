import { ID, type ConsoleData } from "../../console-contract";
import { byId } from "../dom";

/** The page's `#console-data` block: the sign-in settings and the words, in the page's language. */
export const DATA = JSON.parse(byId(ID.data).textContent ?? "{}") as ConsoleData;
export const T = DATA.text;
export const LANG = DATA.language;
export const SIGN_IN = DATA.signIn;

const LOCALE = LANG === "sv" ? "sv-SE" : "en-GB";
/** Times are the agency's: Stockholm's, wherever the person is. */
export const ZONE = "Europe/Stockholm";

export const number = (n: number | undefined) => new Intl.NumberFormat(LOCALE).format(n ?? 0);
export const percent = (ratio: number) => new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 2 }).format(ratio);

export function dateTime(iso: string | undefined): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export const shortDay = (day: string) => new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", day: "numeric", month: "short" }).format(new Date(`${day}T12:00:00Z`));

export const shortTime = (epochSeconds: number) => new Intl.DateTimeFormat(LOCALE, { timeStyle: "short" }).format(new Date(epochSeconds * 1000));

/** A wall-clock time (`2030-12-03T09:30`, Stockholm) as the person reads it, without converting zones. */
export function wallTime(value: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? "");
  if (!m) return value ?? "";
  return new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" }).format(new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!)));
}

/** "a, b and c" in the page's language. */
export function listOf(items: string[]): string {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")}${LANG === "sv" ? " och " : " and "}${items[items.length - 1]}`;
}

let statusTimer: number | undefined;

/** Shows a short message in the status toast, or in the alert toast if it is an error. */
export function say(text: string, isError = false): void {
  const box = byId(isError ? ID.alert : ID.status);
  window.clearTimeout(statusTimer);
  byId(isError ? ID.status : ID.alert).textContent = "";
  box.textContent = "";
  window.setTimeout(() => (box.textContent = text), 40);
  statusTimer = window.setTimeout(() => (box.textContent = ""), isError ? 20000 : 10000);
}

/** Clears both toasts. */
export function quiet(): void {
  window.clearTimeout(statusTimer);
  byId(ID.status).textContent = "";
  byId(ID.alert).textContent = "";
}
