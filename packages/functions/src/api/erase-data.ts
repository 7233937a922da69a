import { eraseData } from "@mission-mail/core/subscription/data-rights";
import { erasedPage } from "@mission-mail/web/data-rights-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { deps, selfService } from "../lib/deps";
import { html, httpHandler, isFormPost, json } from "../lib/http";
import { linkPageHandler, tokenParam } from "../lib/pages";

const erase = async (token: string) => eraseData(selfService(await deps()), token);

const page = linkPageHandler(async (event) => {
  const result = await erase(tokenParam(event));
  return html(200, erasedPage(pageLanguage(event.queryStringParameters?.lang ?? result.language)));
});
const api = httpHandler(async (event) => json(200, { status: (await erase(tokenParam(event))).status }));

/**
 * POST /api/me/erase?token=<data-rights token>: erases the person's data, leaving only the
 * suppression HMAC of the address and an anonymised ledger entry. The data-rights page's button gets
 * a page back; an API call gets `{ "status": "erased" }`.
 */
export const handler = (event: Parameters<typeof api>[0]) => (isFormPost(event) ? page(event) : api(event));
