import { AppError } from "@mission-mail/core/errors";
import { unsubscribe } from "@mission-mail/core/subscription/unsubscribe";
import { linkFailedPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { unsubscribedPage } from "@mission-mail/web/unsubscribe-page";
import { deps } from "../lib/deps";
import { html, httpHandler } from "../lib/http";

/** What a person sees for a link that does not work. */
export const LINK_MESSAGES: Record<string, { sv: string; en: string }> = {
  token_expired: {
    sv: "Länken har gått ut. Använd länken i det senaste mejlet från oss.",
    en: "This link has expired. Please use the link in the latest email from us.",
  },
  invalid_token: {
    sv: "Länken är inte giltig. Kontrollera att du kopierade hela länken från mejlet.",
    en: "This link is not valid. Check that you copied the whole link from the email.",
  },
};

/**
 * POST /unsubscribe?token=…: unsubscribes from everything at once and answers 200. It serves both
 * RFC 8058 one-click requests (body `List-Unsubscribe=One-Click`, sent by mail clients from the
 * List-Unsubscribe-Post header) and the unsubscribe page's button. The token is the manage token from
 * the email; no body field is needed.
 */
export const handler = httpHandler(async (event) => {
  const params = event.queryStringParameters ?? {};
  const d = await deps();
  try {
    const result = await unsubscribe({ store: d.store, clock: d.clock, ids: d.ids, tokenKeys: d.config.TOKEN_KEYS }, params.token);
    const language = params.lang ? pageLanguage(params.lang) : result.status === "unsubscribed" ? result.language : "sv";
    return html(200, unsubscribedPage(language));
  } catch (err) {
    if (err instanceof AppError && LINK_MESSAGES[err.code]) return html(err.status, linkFailedPage(pageLanguage(params.lang), LINK_MESSAGES[err.code]!));
    throw err;
  }
});
