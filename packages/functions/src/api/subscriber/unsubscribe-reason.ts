import { recordDepartureReason } from "@mission-mail/core/departures/departure-reasons";
import { AppError } from "@mission-mail/core/shared/errors";
import { pageLanguage } from "@mission-mail/web/layout";
import { departureThanksPage, unsubscribedPage } from "@mission-mail/web/unsubscribe-page";
import { formBody, html, isFormPost, json, jsonBody, type HttpEvent } from "../../lib/http";
import { campaignParam, linkPageRoute, tokenParam } from "../../lib/pages";
import { departing } from "../../wiring/departures";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /unsubscribe/reason?token=…&c=…: the optional answer to "why did you leave?" after an
 * unsubscribe, `{ "reason", "text"? }` as JSON or as the unsubscribe result page's form. Stored
 * without the address (reason, text, missions, campaign, time); one answer per person. An unknown
 * reason or a text over 500 characters is 400 naming the field; the form shows the page again with
 * the errors.
 */
export const route = linkPageRoute(async (event, w) => {
  const form = isFormPost(event);
  const token = tokenParam(event);
  const campaignTag = campaignParam(event);
  if (!form) return json(200, await recordDepartureReason(departing(w), token, campaignTag, jsonBody(event)));
  const fields = formBody(event);
  const values = { reason: fields.get("reason") ?? undefined, text: fields.get("text") ?? undefined };
  const language = pageLanguage(event.queryStringParameters?.lang);
  try {
    await recordDepartureReason(departing(w), token, campaignTag, values);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation_failed") throw err;
    const page = unsubscribedPage(language, { token, ...(campaignTag ? { campaignTag } : {}), values: { ...(values.reason ? { reason: values.reason } : {}), ...(values.text ? { text: values.text } : {}) }, problems: err.fields ?? [] });
    return html(400, page, { "x-robots-tag": "noindex" });
  }
  return html(200, departureThanksPage(language), { "x-robots-tag": "noindex" });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
