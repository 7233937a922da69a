import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { openApiDocument } from "../../openapi/document";
import { noWiring } from "../../wiring/none";

/**
 * GET /api/openapi.json: the OpenAPI 3.1 document of the HTTP API, built from the route table and the
 * zod schemas the handlers validate with. Public and the same for everyone, so caches may keep it.
 */
export const route = httpRoute(async () => json(200, openApiDocument(), { "cache-control": "public, max-age=300" }));

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
