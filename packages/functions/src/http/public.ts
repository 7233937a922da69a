import * as consent from "../api/consent";
import * as cookieChoice from "../api/cookie-choice";
import * as cookieSettings from "../api/cookie-settings";
import * as missionArchive from "../api/mission-archive";
import * as missionFeed from "../api/mission-feed";
import * as missionPage from "../api/mission-page";
import * as missions from "../api/missions";
import * as missionsPage from "../api/missions-page";
import * as openapi from "../api/openapi";
import * as siteScript from "../api/site-script";
import { audienceHandler } from "../lib/route-dispatch";

/** The public function: anonymous visitors' pages, feeds, scripts, consent text, the OpenAPI document and cookie choices. */
export const handler = audienceHandler("public", {
  "api/missions": missions,
  "api/consent": consent,
  "api/openapi": openapi,
  "api/missions-page": missionsPage,
  "api/mission-page": missionPage,
  "api/mission-archive": missionArchive,
  "api/mission-feed": missionFeed,
  "api/cookie-settings": cookieSettings,
  "api/cookie-choice": cookieChoice,
  "api/site-script": siteScript,
});
