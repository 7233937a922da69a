import { cookieSettingsPage } from "@mission-mail/web/cookie-settings-page";
import { localHref, pageLanguage } from "@mission-mail/web/layout";
import { cookieChoice, safeReturnPath } from "../../lib/cookies";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { staticWiring } from "../../wiring/static";

/** GET /cookies?return=: the cookie settings page, with the visitor's current choices checked. It changes nothing. */
export const route = httpRoute(async (event) => {
  const params = event.queryStringParameters ?? {};
  const language = pageLanguage(params.lang);
  const returnTo = safeReturnPath(params.return, localHref("/missions", language));
  return html(200, cookieSettingsPage(language, returnTo, cookieChoice(event)));
});

/** The Lambda function: the route on a wiring without AWS access (its page names the agency). */
export const handler = (event: HttpEvent) => route(event, staticWiring());
