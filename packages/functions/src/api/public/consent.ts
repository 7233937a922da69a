import { currentPolicy } from "@mission-mail/core/consent/policies";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { noWiring } from "../../wiring/none";

/** GET /api/consent: the current consent policy version and its texts in sv and en. */
export const route = httpRoute(async () => json(200, currentPolicy(), { "cache-control": "public, max-age=300" }));

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
