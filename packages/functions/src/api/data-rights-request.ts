import { requestDataRights } from "@mission-mail/core/subscription/data-rights";
import { dataRightsSentPage } from "@mission-mail/web/data-rights-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { deps, selfService } from "../lib/deps";
import { formBody, html, isFormPost, json, jsonBody } from "../lib/http";
import { linkPageHandler, tokenParam } from "../lib/pages";

/**
 * POST /api/me/requests?token=<manage token> with `{ "action": "export" | "erase" }`: emails the
 * subscriber a one-hour data-rights link and answers 202. The preference centre's buttons post the
 * same as a form and get a page back.
 */
export const handler = linkPageHandler(async (event) => {
  const form = isFormPost(event);
  const body = form ? { action: formBody(event).get("action") ?? undefined } : jsonBody(event);
  const d = await deps();
  const token = tokenParam(event);
  const result = await requestDataRights({ ...selfService(d), limiter: d.store, queue: d.queue }, token, body);
  if (!form) return json(202, result);
  return html(202, dataRightsSentPage(pageLanguage(event.queryStringParameters?.lang), result.action, token));
});
