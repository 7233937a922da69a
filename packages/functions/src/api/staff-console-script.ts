import { STAFF_CONSOLE_SCRIPT, STAFF_CONSOLE_SCRIPT_VERSION } from "@mission-mail/web/staff-console-script";
import { httpRoute, type HttpEvent } from "../lib/http";
import { scriptResult } from "../lib/script";
import { noWiring } from "../wiring/none";

/** GET /assets/staff-console.js: the staff console's script (the page allows no inline script). */
export const route = httpRoute(async (event) => scriptResult(event, STAFF_CONSOLE_SCRIPT, STAFF_CONSOLE_SCRIPT_VERSION));

/** The Lambda function: the route needs nothing from a wiring. */
export const handler = (event: HttpEvent) => route(event, noWiring);
