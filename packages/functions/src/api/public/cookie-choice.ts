import { AppError } from "@mission-mail/core/shared/errors";
import type { CookieChoice } from "@mission-mail/web/cookie-consent";
import { localHref, pageLanguage } from "@mission-mail/web/layout";
import { refusalPage } from "@mission-mail/web/missions-pages";
import { choiceCookie, isHttps, safeReturnPath } from "../../lib/cookies";
import { refusalMessage } from "../../lib/form";
import { formBody, html, httpRoute, json, type HttpEvent } from "../../lib/http";
import { staticWiring } from "../../wiring/static";

/** A cookie form is a few short fields; anything longer is not one. */
const MAX_FORM_BYTES = 4096;

function choiceFrom(form: URLSearchParams): CookieChoice {
  switch (form.get("choice") ?? "custom") {
    case "all":
      return { functional: true, statistics: true };
    case "necessary":
      return { functional: false, statistics: false };
    case "custom":
      return { functional: form.get("functional") === "1", statistics: form.get("statistics") === "1" };
    default:
      throw new AppError(400, "invalid_choice", 'choice must be "all", "necessary" or "custom".');
  }
}

/**
 * POST /cookies: saves the visitor's cookie choice in the consent cookie. A plain form post is
 * answered with a 303 back to `return` (only a same-site path; anything else goes to /missions); the
 * site script asks for JSON and gets 200 `{ cookies }` with the same cookie, without a redirect.
 */
export const route = httpRoute(async (event) => {
  const wantsJson = (event.headers?.accept ?? "").includes("application/json");
  let form: URLSearchParams | undefined;
  try {
    form = formBody(event, MAX_FORM_BYTES);
    const choice = choiceFrom(form);
    const cookie = choiceCookie(choice, isHttps(event));
    if (wantsJson) return { ...json(200, { cookies: choice }), cookies: [cookie] };
    const language = pageLanguage(form.get("lang") ?? event.queryStringParameters?.lang);
    const location = safeReturnPath(form.get("return"), localHref("/missions", language));
    return { statusCode: 303, headers: { location, "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" }, cookies: [cookie], body: "" };
  } catch (err) {
    if (wantsJson || !(err instanceof AppError)) throw err;
    const language = pageLanguage(form?.get("lang") ?? event.queryStringParameters?.lang);
    return html(err.status, refusalPage(language, refusalMessage(err, language)));
  }
});

/** The Lambda function: the route on a wiring without AWS access (its page names the agency). */
export const handler = (event: HttpEvent) => route(event, staticWiring());
