import { CONSENT_COOKIE, CONSENT_COOKIE_MAX_AGE, formatCookieChoice, parseCookieChoice, type CookieChoice } from "@mission-mail/web/cookie-consent";
import type { HttpEvent } from "./http";

/** At most this many request cookies are read; the rest are ignored. */
const MAX_COOKIES = 50;

/**
 * The request's cookies by name. API Gateway HTTP API (payload v2) delivers them in `event.cookies`
 * as `name=value` strings and never as a `cookie` header (the local server does the same). The first
 * cookie of a name wins (browsers send the most specific path first). Malformed entries are skipped,
 * never an error.
 */
export function requestCookies(event: HttpEvent): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const entry of (event.cookies ?? []).slice(0, MAX_COOKIES)) {
    const at = entry.indexOf("=");
    if (at <= 0) continue;
    const name = entry.slice(0, at).trim();
    let value = entry.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** The visitor's cookie choices from the consent cookie, or undefined while none is made (or it is unreadable). */
export function cookieChoice(event: HttpEvent): CookieChoice | undefined {
  return parseCookieChoice(requestCookies(event).get(CONSENT_COOKIE)?.slice(0, 64));
}

/** Whether the visitor reached us over https (always, through API Gateway; not on the local server). */
export function isHttps(event: HttpEvent): boolean {
  return (event.headers?.["x-forwarded-proto"] ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}

/**
 * The `Set-Cookie` value that keeps a choice for a year. Readable by the page (not HttpOnly: it holds
 * only the choice), first-party, sent on same-site navigation, and Secure over https.
 */
export function choiceCookie(choice: CookieChoice, secure: boolean): string {
  return `${CONSENT_COOKIE}=${formatCookieChoice(choice)}; Path=/; Max-Age=${CONSENT_COOKIE_MAX_AGE}; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * A path to redirect to after a form, or `fallback`. Only a same-site relative path passes: it must
 * start with one `/` (not `//` or `/\`, which browsers read as another host) and hold no control
 * characters or spaces (which URL parsers drop, turning `/\t/evil` into `//evil`).
 */
export function safeReturnPath(value: string | null | undefined, fallback: string): string {
  if (!value || value.length > 512) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, "https://same.invalid");
    if (url.origin !== "https://same.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
