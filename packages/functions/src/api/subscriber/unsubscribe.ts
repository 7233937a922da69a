import { unsubscribe } from "@mission-mail/core/subscription/unsubscribe";
import { pageLanguage } from "@mission-mail/web/layout";
import { unsubscribedPage } from "@mission-mail/web/unsubscribe-page";
import { html, type HttpEvent } from "../../lib/http";
import { campaignParam, linkPageRoute, tokenParam } from "../../lib/pages";
import { unsubscribing } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /unsubscribe?token=…: unsubscribes from everything at once and answers 200. It serves both
 * RFC 8058 one-click requests (body `List-Unsubscribe=One-Click`, sent by mail clients from the
 * List-Unsubscribe-Post header) and the unsubscribe page's button. The token is the manage token from
 * the email; no body field is needed. `c`, in campaign emails, names the campaign, which counts it.
 */
export const route = linkPageRoute(async (event, w) => {
  const lang = event.queryStringParameters?.lang;
  const result = await unsubscribe(unsubscribing(w), tokenParam(event), campaignParam(event));
  const language = lang ? pageLanguage(lang) : result.status === "unsubscribed" ? result.language : "sv";
  // Someone who left may say why (optional); the form carries the link's token and campaign.
  const campaignTag = campaignParam(event);
  const form = result.status === "unsubscribed" ? { token: tokenParam(event), ...(campaignTag ? { campaignTag } : {}) } : undefined;
  return html(200, unsubscribedPage(language, form));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
