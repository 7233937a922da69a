import * as asset from "../api/asset";
import * as consent from "../api/consent";
import * as cookieChoice from "../api/cookie-choice";
import * as cookieSettings from "../api/cookie-settings";
import * as missionArchive from "../api/mission-archive";
import * as missionFeed from "../api/mission-feed";
import * as missionPage from "../api/mission-page";
import * as missions from "../api/missions";
import * as missionsPage from "../api/missions-page";
import * as openapi from "../api/openapi";
import { audienceFunction } from "../lib/route-dispatch";

/**
 * The public function: anonymous visitors' pages, feeds, consent text, the OpenAPI document, cookie
 * choices, and every page's style sheets and scripts.
 */
export const { handler, route } = audienceFunction("public", {
  "api/missions": missions,
  "api/consent": consent,
  "api/openapi": openapi,
  "api/missions-page": missionsPage,
  "api/mission-page": missionPage,
  "api/mission-archive": missionArchive,
  "api/mission-feed": missionFeed,
  "api/cookie-settings": cookieSettings,
  "api/cookie-choice": cookieChoice,
  "api/asset": asset,
});
