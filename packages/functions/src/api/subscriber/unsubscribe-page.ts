import { subscriberForManageToken } from "@mission-mail/core/subscription/unsubscribe";
import { pageLanguage } from "@mission-mail/web/layout";
import { unsubscribePage } from "@mission-mail/web/unsubscribe-page";
import { html, type HttpEvent } from "../../lib/http";
import { campaignParam, linkPageRoute, tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /unsubscribe?token=…: a page with one button, in the subscriber's language. It changes nothing. */
export const route = linkPageRoute(async (event, w) => {
  const lang = event.queryStringParameters?.lang;
  const token = tokenParam(event);
  const subscriber = await subscriberForManageToken(selfService(w), token);
  const language = lang ? pageLanguage(lang) : (subscriber?.language ?? "sv");
  return html(200, unsubscribePage(language, token, campaignParam(event)), { "x-robots-tag": "noindex" });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
