import { audienceFunction } from "../lib/route-dispatch";

/** The webhook function: the CMS's signed content events, put on the app's bus. */
export const { handler, route } = audienceFunction("webhook", {
  "api/webhook/content-webhook": () => import("../api/webhook/content-webhook"),
});
