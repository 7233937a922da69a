import * as contentWebhook from "../api/content-webhook";
import { audienceFunction } from "../lib/route-dispatch";

/** The webhook function: the CMS's signed content events, put on the app's bus. */
export const { handler, route } = audienceFunction("webhook", {
  "api/content-webhook": contentWebhook,
});
