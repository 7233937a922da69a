import { cookieSettingsPage } from "@mission-mail/web/cookie-settings-page";
import { localHref, pageLanguage } from "@mission-mail/web/layout";
import { cookieChoice, safeReturnPath } from "../lib/cookies";
import { html, httpHandler } from "../lib/http";

/** GET /cookies?return=: the cookie settings page, with the visitor's current choices checked. It changes nothing. */
export const handler = httpHandler(async (event) => {
  const params = event.queryStringParameters ?? {};
  const language = pageLanguage(params.lang);
  const returnTo = safeReturnPath(params.return, localHref("/missions", language));
  return html(200, cookieSettingsPage(language, returnTo, cookieChoice(event)));
});
