import { CONSENT_COOKIE, CONSENT_COOKIE_MAX_AGE, formatCookieChoice, parseCookieChoice, type CookieChoice } from "@mission-mail/web/cookie-consent";
import { ROUTES } from "../routes";
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

export { isHttps } from "./http";

/**
 * The `Set-Cookie` value that keeps a choice for a year. Readable by the page (not HttpOnly: it holds
 * only the choice), first-party, sent on same-site navigation, and Secure over https.
 */
export function choiceCookie(choice: CookieChoice, secure: boolean): string {
  return `${CONSENT_COOKIE}=${formatCookieChoice(choice)}; Path=/; Max-Age=${CONSENT_COOKIE_MAX_AGE}; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The made-up origin return paths are resolved against: a path that leaves it names another host. */
const SAME_SITE = "https://same.invalid";

/** A `{param}` segment of a page route: a kebab-case id, as mission ids are. */
const PAGE_SEGMENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_SEGMENT = 64;

/** Route prefixes that are not pages a visitor returns to: JSON, scripts, webhooks and the staff console. */
const NOT_A_PAGE = /^\/(?:api|assets|webhooks|staff)(?:\/|$)/;

/**
 * The public HTML pages from the route table, split into segments: GET routes outside `NOT_A_PAGE`
 * whose last segment names no file (`feed.atom` is a feed, not a page). Derived, so a new page is a
 * valid return path without a second list to keep in step.
 */
const PAGE_ROUTES: readonly string[][] = ROUTES.filter(
  (r) => r.method === "GET" && !NOT_A_PAGE.test(r.path) && !r.path.split("/").pop()!.includes("."),
).map((r) => r.path.split("/"));

/** Whether a normalised pathname is one of the site's public pages, each `{param}` one kebab-case segment. */
function isPagePath(pathname: string): boolean {
  const got = pathname.split("/");
  return PAGE_ROUTES.some(
    (want) =>
      want.length === got.length &&
      want.every((w, i) => {
        const g = got[i]!;
        return w.startsWith("{") ? g.length <= MAX_SEGMENT && PAGE_SEGMENT.test(g) : w === g;
      }),
  );
}

/**
 * A path to redirect or link back to after a form, or `fallback`. Only one of the site's own public
 * pages passes, so a crafted `return` or `from` can never send the visitor to another host (an open
 * redirect) nor to a JSON or staff route. The value must start with one `/` and hold no control
 * characters, spaces or backslashes (which URL parsers drop or read as `/`); it is then normalised
 * with the WHATWG URL parser, as a browser would, and the normalised pathname must still be on our
 * origin and match a page route. Checking the raw value alone is not enough: `/.//evil.example`
 * normalises to `//evil.example`, which a browser reads as another host. The normalised path is
 * answered, with its query and fragment.
 */
export function safeReturnPath(value: string | null | undefined, fallback: string): string {
  if (!value || value.length > 512) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, SAME_SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_SITE || !isPagePath(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
