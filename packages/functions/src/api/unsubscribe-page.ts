import { subscriberForManageToken } from "@mission-mail/core/subscription/unsubscribe";
import { pageLanguage } from "@mission-mail/web/layout";
import { unsubscribePage } from "@mission-mail/web/unsubscribe-page";
import { deps, selfService } from "../lib/deps";
import { html } from "../lib/http";
import { campaignParam, linkPageHandler, tokenParam } from "../lib/pages";

/** GET /unsubscribe?token=…: a page with one button, in the subscriber's language. It changes nothing. */
export const handler = linkPageHandler(async (event) => {
  const lang = event.queryStringParameters?.lang;
  const token = tokenParam(event);
  const d = await deps();
  const subscriber = await subscriberForManageToken(selfService(d), token);
  const language = lang ? pageLanguage(lang) : (subscriber?.language ?? "sv");
  return html(200, unsubscribePage(language, token, campaignParam(event)), { "x-robots-tag": "noindex" });
});
