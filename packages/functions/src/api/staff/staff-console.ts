import { pageLanguage } from "@mission-mail/web/layout";
import { autoPauseLimits, staffConsoleCsp, staffConsolePage, staffConsoleSignIn } from "@mission-mail/web/staff-console-page";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { staticWiring } from "../../wiring/static";

/**
 * GET /staff (sv; `?lang=en`) and GET /staff/callback, where the Hosted UI returns with the sign-in
 * code: the staff console's page. It is public and holds nothing secret; the console's script signs
 * the person in and calls the staff API with their token.
 */
export const route = httpRoute(async (event, w) => {
  const cfg = w.platform.consoleConfig;
  const signIn = staffConsoleSignIn(cfg);
  const language = pageLanguage(event.queryStringParameters?.lang);
  return html(200, staffConsolePage(language, signIn, autoPauseLimits(cfg)), { "content-security-policy": staffConsoleCsp(signIn) });
});

/** The Lambda function: the route on the process-wide wiring of a function without AWS access. */
export const handler = (event: HttpEvent) => route(event, staticWiring());
