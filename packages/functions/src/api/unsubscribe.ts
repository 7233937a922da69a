import { unsubscribe } from "@mission-mail/core/subscription/unsubscribe";
import { pageLanguage } from "@mission-mail/web/layout";
import { unsubscribedPage } from "@mission-mail/web/unsubscribe-page";
import { deps, selfService } from "../lib/deps";
import { html } from "../lib/http";
import { campaignParam, linkPageHandler, tokenParam } from "../lib/pages";

/**
 * POST /unsubscribe?token=…: unsubscribes from everything at once and answers 200. It serves both
 * RFC 8058 one-click requests (body `List-Unsubscribe=One-Click`, sent by mail clients from the
 * List-Unsubscribe-Post header) and the unsubscribe page's button. The token is the manage token from
 * the email; no body field is needed. `c`, in campaign emails, names the campaign, which counts it.
 */
export const handler = linkPageHandler(async (event) => {
  const lang = event.queryStringParameters?.lang;
  const d = await deps();
  const result = await unsubscribe({ ...selfService(d), feedback: d.feedback }, tokenParam(event), campaignParam(event));
  const language = lang ? pageLanguage(lang) : result.status === "unsubscribed" ? result.language : "sv";
  return html(200, unsubscribedPage(language));
});
