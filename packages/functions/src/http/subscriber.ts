import * as confirm from "../api/subscriber/confirm";
import * as confirmPage from "../api/subscriber/confirm-page";
import * as dataRightsPage from "../api/subscriber/data-rights-page";
import * as dataRightsRequest from "../api/subscriber/data-rights-request";
import * as eraseData from "../api/subscriber/erase-data";
import * as exportData from "../api/subscriber/export-data";
import * as getPreferences from "../api/subscriber/get-preferences";
import * as preferencesForm from "../api/subscriber/preferences-form";
import * as preferencesPage from "../api/subscriber/preferences-page";
import * as putPreferences from "../api/subscriber/put-preferences";
import * as subscribe from "../api/subscriber/subscribe";
import * as subscribeForm from "../api/subscriber/subscribe-form";
import * as unsubscribe from "../api/subscriber/unsubscribe";
import * as unsubscribePage from "../api/subscriber/unsubscribe-page";
import * as unsubscribeReason from "../api/subscriber/unsubscribe-reason";
import { audienceFunction } from "../lib/route-dispatch";

/** The subscriber function: sign-up (API and form), confirm, unsubscribe, preferences and data rights. */
export const { handler, route } = audienceFunction("subscriber", {
  "api/subscriber/subscribe-form": subscribeForm,
  "api/subscriber/subscribe": subscribe,
  "api/subscriber/confirm": confirm,
  "api/subscriber/confirm-page": confirmPage,
  "api/subscriber/unsubscribe-page": unsubscribePage,
  "api/subscriber/unsubscribe": unsubscribe,
  "api/subscriber/unsubscribe-reason": unsubscribeReason,
  "api/subscriber/preferences-page": preferencesPage,
  "api/subscriber/preferences-form": preferencesForm,
  "api/subscriber/get-preferences": getPreferences,
  "api/subscriber/put-preferences": putPreferences,
  "api/subscriber/data-rights-request": dataRightsRequest,
  "api/subscriber/data-rights-page": dataRightsPage,
  "api/subscriber/export-data": exportData,
  "api/subscriber/erase-data": eraseData,
});
