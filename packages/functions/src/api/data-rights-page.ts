import { verifyToken } from "@mission-mail/core/shared/tokens";
import { tokenError } from "@mission-mail/core/subscription/confirm";
import { dataRightsPage } from "@mission-mail/web/data-rights-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { deps } from "../lib/deps";
import { html } from "../lib/http";
import { linkPageHandler, tokenParam } from "../lib/pages";

/** GET /me?token=<data-rights token>: the page the emailed link opens, with download and erase. It changes nothing. */
export const handler = linkPageHandler(async (event) => {
  const token = tokenParam(event);
  const d = await deps();
  const check = verifyToken(d.config.TOKEN_KEYS, "data-rights", token, d.clock.now());
  if (!check.ok) throw tokenError(check.reason);
  return html(200, dataRightsPage(pageLanguage(event.queryStringParameters?.lang), token), { "x-robots-tag": "noindex" });
});
