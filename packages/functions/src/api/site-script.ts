import { SITE_SCRIPT, SITE_SCRIPT_VERSION } from "@mission-mail/web/site-script";
import { httpRoute, type HttpEvent } from "../lib/http";
import { noWiring } from "../wiring/none";

/**
 * GET /assets/site.js: the pages' progressive-enhancement script. Pages ask for it by version
 * (`?v=`), which may be cached for a year; any other request gets a short cache lifetime.
 */
export const route = httpRoute(async (event) => {
  const versioned = event.queryStringParameters?.v === SITE_SCRIPT_VERSION;
  return {
    statusCode: 200,
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
    body: SITE_SCRIPT,
  };
});

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
