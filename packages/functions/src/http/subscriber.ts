import { audienceFunction } from "../lib/route-dispatch";

/** The subscriber function: sign-up (API and form), confirm, unsubscribe, preferences and data rights. */
export const { handler, route } = audienceFunction("subscriber", {
  "api/subscriber/subscribe-form": () => import("../api/subscriber/subscribe-form"),
  "api/subscriber/subscribe": () => import("../api/subscriber/subscribe"),
  "api/subscriber/confirm": () => import("../api/subscriber/confirm"),
  "api/subscriber/confirm-page": () => import("../api/subscriber/confirm-page"),
  "api/subscriber/unsubscribe-page": () => import("../api/subscriber/unsubscribe-page"),
  "api/subscriber/unsubscribe": () => import("../api/subscriber/unsubscribe"),
  "api/subscriber/unsubscribe-reason": () => import("../api/subscriber/unsubscribe-reason"),
  "api/subscriber/preferences-page": () => import("../api/subscriber/preferences-page"),
  "api/subscriber/preferences-form": () => import("../api/subscriber/preferences-form"),
  "api/subscriber/get-preferences": () => import("../api/subscriber/get-preferences"),
  "api/subscriber/put-preferences": () => import("../api/subscriber/put-preferences"),
  "api/subscriber/data-rights-request": () => import("../api/subscriber/data-rights-request"),
  "api/subscriber/data-rights-page": () => import("../api/subscriber/data-rights-page"),
  "api/subscriber/export-data": () => import("../api/subscriber/export-data"),
  "api/subscriber/erase-data": () => import("../api/subscriber/erase-data"),
});
