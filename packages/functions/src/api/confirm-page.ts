import { confirmPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, httpHandler } from "../lib/http";

/** GET /confirm?token=…: a page with a confirm button. It changes nothing; mail scanners follow links. */
export const handler = httpHandler(async (event) => {
  const params = event.queryStringParameters ?? {};
  return html(200, confirmPage(pageLanguage(params.lang), (params.token ?? "").slice(0, 1024)), { "x-robots-tag": "noindex" });
});
