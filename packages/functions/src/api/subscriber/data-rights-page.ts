import { verifyToken } from "@mission-mail/core/shared/tokens";
import { tokenError } from "@mission-mail/core/subscription/confirm";
import { dataRightsPage } from "@mission-mail/web/data-rights-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, type HttpEvent } from "../../lib/http";
import { linkPageRoute, tokenParam } from "../../lib/pages";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /me?token=<data-rights token>: the page the emailed link opens, with the download or the erase button its link was sent for. It changes nothing. */
export const route = linkPageRoute(async (event, w) => {
  const token = tokenParam(event);
  const check = verifyToken(w.config.TOKEN_KEYS, "data-rights", token, w.platform.clock.now());
  if (!check.ok) throw tokenError(check.reason);
  // The page offers only what the link was sent for.
  if (!check.claims.action || !check.claims.id) throw tokenError("malformed");
  return html(200, dataRightsPage(pageLanguage(event.queryStringParameters?.lang), token, check.claims.action), { "x-robots-tag": "noindex" });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
