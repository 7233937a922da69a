import { eraseData } from "@mission-mail/core/subscription/data-rights";
import { erasedPage } from "@mission-mail/web/data-rights-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, httpRoute, isFormPost, json, type HttpEvent, type HttpRoute } from "../../lib/http";
import { linkPageRoute, tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

import type { Wiring } from "../../wiring/wiring";

const erase = (token: string, w: Wiring) => eraseData(selfService(w), token);

const page = linkPageRoute(async (event, w) => {
  const result = await erase(tokenParam(event), w);
  return html(200, erasedPage(pageLanguage(event.queryStringParameters?.lang ?? result.language)));
});
const api = httpRoute(async (event, w) => json(200, { status: (await erase(tokenParam(event), w)).status }));

/**
 * POST /api/me/erase?token=<data-rights token>: erases the person's data, leaving only the
 * suppression HMAC of the address and an anonymised ledger entry. The data-rights page's button gets
 * a page back; an API call gets `{ "status": "erased" }`.
 */
export const route: HttpRoute = (event, w) => (isFormPost(event) ? page(event, w) : api(event, w));

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
