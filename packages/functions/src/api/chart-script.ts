import { CHART_JS, CHART_JS_HASH } from "@mission-mail/web/vendor/chart-js";
import { httpHandler } from "../lib/http";
import { scriptResult } from "../lib/script";

/**
 * GET /assets/chart.js: chart.js for the staff console's charts, embedded at build time
 * (`npm run vendor`) because a Lambda bundle has no node_modules to read it from.
 */
export const handler = httpHandler(async (event) => scriptResult(event, CHART_JS, CHART_JS_HASH));
