import { errorBody, AppError } from "@mission-mail/core/shared/errors";
import { html, isFormPost, json, rawBody, type HttpEvent, type HttpResult } from "./http";

/** Methods that never change anything, and so are never refused as cross-site. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const header = (event: HttpEvent, name: string) => event.headers?.[name]?.split(",")[0]?.trim().toLowerCase() || undefined;

/**
 * The hosts this request names as the site's own: the Host it was sent to and, behind a proxy, the
 * X-Forwarded-Host it was sent to first. A browser cannot set either on a request another site makes
 * it send, so an Origin with one of these hosts is the site itself.
 */
function ownHosts(event: HttpEvent): Set<string> {
  return new Set([header(event, "host"), header(event, "x-forwarded-host"), event.requestContext?.domainName?.toLowerCase()].filter((h): h is string => !!h));
}

/** The RFC 8058 one-click unsubscribe, which mailbox providers post from their own servers and sites by design. */
function isOneClickUnsubscribe(event: HttpEvent): boolean {
  if (event.requestContext?.http?.path !== "/unsubscribe" && event.rawPath !== "/unsubscribe") return false;
  try {
    return new URLSearchParams(rawBody(event)).get("List-Unsubscribe") === "One-Click";
  } catch {
    return false;
  }
}

/**
 * Whether a state-changing request comes from a browser on another site. A browser that sends
 * `Sec-Fetch-Site` is believed: only `same-origin` and `none` (typed or bookmarked) pass. That header
 * matters because the pages' `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on
 * their own form posts. Without it, an `Origin` that is not the site's own (`null` included) is
 * refused. Requests with neither (servers, tools, older browsers posting same-site) pass; so do safe
 * methods.
 */
export function isCrossSite(event: HttpEvent): boolean {
  if (SAFE_METHODS.has((event.requestContext?.http?.method ?? "GET").toUpperCase())) return false;
  const fetchSite = header(event, "sec-fetch-site");
  if (fetchSite !== undefined) return fetchSite !== "same-origin" && fetchSite !== "none";
  const origin = event.headers?.origin?.trim();
  if (origin === undefined) return false;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return true;
  }
  return !host || !ownHosts(event).has(host);
}

/**
 * The refusal of a cross-site state-changing request, or undefined when it may go on: 403
 * `cross_site_request`, as a page in the visitor's language for a form post or a browser, and the
 * error envelope for an API call. The RFC 8058 one-click unsubscribe is let through: mailbox
 * providers post it from their own sites, and it acts only with the emailed token.
 */
export async function crossSiteRefusal(event: HttpEvent): Promise<HttpResult | undefined> {
  if (!isCrossSite(event) || isOneClickUnsubscribe(event)) return undefined;
  const err = new AppError(403, "cross_site_request", "This request came from another website. Please use the form on our own site.");
  const wantsPage = isFormPost(event) || (!(event.headers?.accept ?? "").includes("application/json") && (event.headers?.accept ?? "").includes("text/html"));
  if (!wantsPage) return json(err.status, errorBody(err));
  // The page's modules (hono/jsx, the words of every page) load only when a page is refused, not on every cold start.
  const [{ pageLanguage }, { refusalPage, refusalText }] = await Promise.all([import("@mission-mail/web/layout"), import("@mission-mail/web/missions-pages")]);
  const language = pageLanguage(event.queryStringParameters?.lang);
  return html(err.status, refusalPage(language, refusalText(language, err.code) ?? err.message));
}
