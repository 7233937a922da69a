import { confirmPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { noWiring } from "../../wiring/none";

/** GET /confirm?token=…: a page with a confirm button. It changes nothing; mail scanners follow links. */
export const route = httpRoute(async (event) => {
  const params = event.queryStringParameters ?? {};
  return html(200, confirmPage(pageLanguage(params.lang), (params.token ?? "").slice(0, 1024)), { "x-robots-tag": "noindex" });
});

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
