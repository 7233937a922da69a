import { confirmPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { staticWiring } from "../../wiring/static";

/** GET /confirm?token=…: a page with a confirm button. It changes nothing; mail scanners follow links. */
export const route = httpRoute(async (event) => {
  const params = event.queryStringParameters ?? {};
  return html(200, confirmPage(pageLanguage(params.lang), (params.token ?? "").slice(0, 1024)), { "x-robots-tag": "noindex" });
});

/** The Lambda function: the route on a wiring without AWS access (its page names the agency). */
export const handler = (event: HttpEvent) => route(event, staticWiring());
