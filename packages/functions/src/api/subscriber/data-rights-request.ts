import { requestDataRights } from "@mission-mail/core/subscription/data-rights";
import { dataRightsSentPage } from "@mission-mail/web/data-rights-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { formBody, html, isFormPost, json, jsonBody, type HttpEvent } from "../../lib/http";
import { linkPageRoute, tokenParam } from "../../lib/pages";
import { dataRights } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/me/requests?token=<manage token> with `{ "action": "export" | "erase" }`: emails the
 * subscriber a one-hour data-rights link and answers 202. The preference centre's buttons post the
 * same as a form and get a page back.
 */
export const route = linkPageRoute(async (event, w) => {
  const form = isFormPost(event);
  const body = form ? { action: formBody(event).get("action") ?? undefined } : jsonBody(event);
  const token = tokenParam(event);
  const result = await requestDataRights(dataRights(w), token, body);
  if (!form) return json(202, result);
  return html(202, dataRightsSentPage(pageLanguage(event.queryStringParameters?.lang), result.action, token));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
