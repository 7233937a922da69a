import { STAFF_CONSOLE_SCRIPT, STAFF_CONSOLE_SCRIPT_VERSION } from "@mission-mail/web/staff-console-script";
import { httpHandler } from "../lib/http";
import { scriptResult } from "../lib/script";

/** GET /assets/staff-console.js: the staff console's script (the page allows no inline script). */
export const handler = httpHandler(async (event) => scriptResult(event, STAFF_CONSOLE_SCRIPT, STAFF_CONSOLE_SCRIPT_VERSION));
