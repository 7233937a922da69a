import { AppError } from "@mission-mail/core/shared/errors";
import { linkFailedPage, linkFailure } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import type { Wiring } from "../wiring/wiring";
import { html, httpRoute, type HttpEvent, type HttpResult } from "./http";

/**
 * Wraps a handler for a page opened from an email link: a bad, expired or orphaned token becomes a
 * page in the visitor's language with the right status, not a JSON error. Everything else is handled
 * as `httpRoute` does.
 */
export function linkPageRoute(fn: (event: HttpEvent, w: Wiring) => Promise<HttpResult>) {
  return httpRoute(async (event, w) => {
    try {
      return await fn(event, w);
    } catch (err) {
      const failure = err instanceof AppError ? linkFailure(err.code, "manage") : undefined;
      if (!failure) throw err;
      return html((err as AppError).status, linkFailedPage(pageLanguage(event.queryStringParameters?.lang), failure), { "x-robots-tag": "noindex" });
    }
  });
}

/** The `token` query parameter, bounded (tokens are short; anything longer is not one of ours). */
export const tokenParam = (event: HttpEvent) => (event.queryStringParameters?.token ?? "").slice(0, 1024);

/** The `c` query parameter of a campaign email's unsubscribe link (the campaign tag), if it looks like one. */
export const campaignParam = (event: HttpEvent): string | undefined => {
  const c = event.queryStringParameters?.c;
  return c && /^[A-Za-z0-9_-]{1,256}$/.test(c) ? c : undefined;
};
