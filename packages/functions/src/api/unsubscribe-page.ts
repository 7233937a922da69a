import { AppError } from "@mission-mail/core/errors";
import { subscriberForManageToken } from "@mission-mail/core/subscription/unsubscribe";
import { linkFailedPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { unsubscribePage } from "@mission-mail/web/unsubscribe-page";
import { deps } from "../lib/deps";
import { html, httpHandler } from "../lib/http";
import { LINK_MESSAGES } from "./unsubscribe";

/** GET /unsubscribe?token=…: a page with one button, in the subscriber's language. It changes nothing. */
export const handler = httpHandler(async (event) => {
  const params = event.queryStringParameters ?? {};
  const token = (params.token ?? "").slice(0, 1024);
  const d = await deps();
  try {
    const subscriber = await subscriberForManageToken({ store: d.store, clock: d.clock, ids: d.ids, tokenKeys: d.config.TOKEN_KEYS }, token);
    const language = params.lang ? pageLanguage(params.lang) : (subscriber?.language ?? "sv");
    return html(200, unsubscribePage(language, token), { "x-robots-tag": "noindex" });
  } catch (err) {
    if (err instanceof AppError && LINK_MESSAGES[err.code]) return html(err.status, linkFailedPage(pageLanguage(params.lang), LINK_MESSAGES[err.code]!));
    throw err;
  }
});
