import { readPreferences } from "@mission-mail/core/subscription/preferences";
import { pageLanguage } from "@mission-mail/web/layout";
import { preferencesPage, savedNotice } from "@mission-mail/web/preferences-page";
import { deps, selfService } from "../lib/deps";
import { html } from "../lib/http";
import { linkPageHandler, tokenParam } from "../lib/pages";

/** GET /preferences?token=…: the preference centre, in the subscriber's language. Reading changes nothing. */
export const handler = linkPageHandler(async (event) => {
  const params = event.queryStringParameters ?? {};
  const token = tokenParam(event);
  const view = await readPreferences(selfService(await deps()), token);
  const language = params.lang ? pageLanguage(params.lang) : view.language;
  return html(200, preferencesPage(language, { token, view, ...(params.saved === "1" ? { notice: savedNotice(language) } : {}) }), { "x-robots-tag": "noindex" });
});
