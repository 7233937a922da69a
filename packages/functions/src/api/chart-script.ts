import { CHART_JS, CHART_JS_HASH } from "@mission-mail/web/vendor/chart-js";
import { httpRoute, type HttpEvent } from "../lib/http";
import { scriptResult } from "../lib/script";
import { noWiring } from "../wiring/none";

/**
 * GET /assets/chart.js: chart.js for the staff console's charts, embedded at build time
 * (`npm run vendor`) because a Lambda bundle has no node_modules to read it from.
 */
export const route = httpRoute(async (event) => scriptResult(event, CHART_JS, CHART_JS_HASH));

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
