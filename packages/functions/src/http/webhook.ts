import * as contentWebhook from "../api/content-webhook";
import { audienceHandler } from "../lib/route-dispatch";

/** The webhook function: the CMS's signed content events, put on the app's bus. */
export const handler = audienceHandler("webhook", {
  "api/content-webhook": contentWebhook,
});
