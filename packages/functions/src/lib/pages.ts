import { AppError } from "@mission-mail/core/shared/errors";
import { linkFailedPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import type { Wiring } from "../wiring/wiring";
import { html, httpRoute, type HttpEvent, type HttpResult } from "./http";

/** What a person sees for a link from an email that does not work, by error code. */
const LINK_MESSAGES: Record<string, { sv: string; en: string }> = {
  token_expired: {
    sv: "Länken har gått ut. Använd länken i det senaste mejlet från oss.",
    en: "This link has expired. Please use the link in the latest email from us.",
  },
  invalid_token: {
    sv: "Länken är inte giltig. Kontrollera att du kopierade hela länken från mejlet.",
    en: "This link is not valid. Check that you copied the whole link from the email.",
  },
  not_found: {
    sv: "Det finns ingen prenumeration för den här länken längre. Den kan ha raderats.",
    en: "There is no subscription for this link any more. It may have been erased.",
  },
};

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
      const message = err instanceof AppError ? LINK_MESSAGES[err.code] : undefined;
      if (!message) throw err;
      return html((err as AppError).status, linkFailedPage(pageLanguage(event.queryStringParameters?.lang), message), { "x-robots-tag": "noindex" });
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
