import { readPreferences } from "@mission-mail/core/subscription/preferences";
import { pageLanguage } from "@mission-mail/web/layout";
import { preferencesPage, savedNotice } from "@mission-mail/web/preferences-page";
import { html, type HttpEvent } from "../../lib/http";
import { linkPageRoute, tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /preferences?token=…: the preference centre, in the subscriber's language. Reading changes nothing. */
export const route = linkPageRoute(async (event, w) => {
  const params = event.queryStringParameters ?? {};
  const token = tokenParam(event);
  const view = await readPreferences(selfService(w), token);
  const language = params.lang ? pageLanguage(params.lang) : view.language;
  return html(200, preferencesPage(language, { token, view, ...(params.saved === "1" ? { notice: savedNotice(language) } : {}) }), { "x-robots-tag": "noindex" });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
