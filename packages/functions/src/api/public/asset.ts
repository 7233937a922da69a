import { ASSET_FILES } from "@mission-mail/web/assets/asset-files";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { noWiring } from "../../wiring/none";

/**
 * GET /assets/{file}: the pages' style sheets and scripts (their CSP allows same-origin files only,
 * nothing inline). Each name carries a hash of its content, so an answer never changes and may be
 * cached for a year; a deploy that changes a file changes its name, and the pages link to the new one.
 */
export const route = httpRoute(async (event) => {
  const name = event.pathParameters?.file ?? "";
  const asset = Object.hasOwn(ASSET_FILES, name) ? ASSET_FILES[name] : undefined;
  if (!asset) return json(404, { error: { code: "not_found", message: "There is no such asset." } }, { "cache-control": "no-store" });
  return {
    statusCode: 200,
    headers: {
      "content-type": asset.type,
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${name}"`,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
    body: asset.body,
  };
});

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
