import type { HttpEvent, HttpResult } from "./http";

/**
 * A same-origin script as pages load it (their CSP allows no inline scripts). Pages ask for it by
 * version (`?v=`): that answer may be cached for a year, any other request only for five minutes, so
 * a deploy never leaves a page with a stale script for long.
 */
export function scriptResult(event: HttpEvent, script: string, version: string): HttpResult {
  const versioned = event.queryStringParameters?.v === version;
  return {
    statusCode: 200,
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=300",
      etag: `"${version}"`,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
    body: script,
  };
}
