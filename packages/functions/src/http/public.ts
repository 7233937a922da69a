import { audienceFunction } from "../lib/route-dispatch";

/**
 * The public function: anonymous visitors' pages, feeds, consent text, the OpenAPI document, cookie
 * choices, and every page's style sheets and scripts.
 */
export const { handler, route } = audienceFunction("public", {
  "api/public/missions": () => import("../api/public/missions"),
  "api/public/consent": () => import("../api/public/consent"),
  "api/public/openapi": () => import("../api/public/openapi"),
  "api/public/missions-page": () => import("../api/public/missions-page"),
  "api/public/mission-page": () => import("../api/public/mission-page"),
  "api/public/mission-archive": () => import("../api/public/mission-archive"),
  "api/public/mission-feed": () => import("../api/public/mission-feed"),
  "api/public/cookie-settings": () => import("../api/public/cookie-settings"),
  "api/public/cookie-choice": () => import("../api/public/cookie-choice"),
  "api/public/statement-page": () => import("../api/public/statement-page"),
  "api/public/asset": () => import("../api/public/asset"),
});
