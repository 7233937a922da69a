import { httpHandler, json } from "../lib/http";
import { openApiDocument } from "../openapi/document";

/**
 * GET /api/openapi.json: the OpenAPI 3.1 document of the HTTP API, built from the route table and the
 * zod schemas the handlers validate with. Public and the same for everyone, so caches may keep it.
 */
export const handler = httpHandler(async () => json(200, openApiDocument(), { "cache-control": "public, max-age=300" }));
