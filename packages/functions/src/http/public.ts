import * as asset from "../api/public/asset";
import * as consent from "../api/public/consent";
import * as cookieChoice from "../api/public/cookie-choice";
import * as cookieSettings from "../api/public/cookie-settings";
import * as missionArchive from "../api/public/mission-archive";
import * as missionFeed from "../api/public/mission-feed";
import * as missionPage from "../api/public/mission-page";
import * as missions from "../api/public/missions";
import * as missionsPage from "../api/public/missions-page";
import * as openapi from "../api/public/openapi";
import * as statementPage from "../api/public/statement-page";
import { audienceFunction } from "../lib/route-dispatch";

/**
 * The public function: anonymous visitors' pages, feeds, consent text, the OpenAPI document, cookie
 * choices, and every page's style sheets and scripts.
 */
export const { handler, route } = audienceFunction("public", {
  "api/public/missions": missions,
  "api/public/consent": consent,
  "api/public/openapi": openapi,
  "api/public/missions-page": missionsPage,
  "api/public/mission-page": missionPage,
  "api/public/mission-archive": missionArchive,
  "api/public/mission-feed": missionFeed,
  "api/public/cookie-settings": cookieSettings,
  "api/public/cookie-choice": cookieChoice,
  "api/public/statement-page": statementPage,
  "api/public/asset": asset,
});
