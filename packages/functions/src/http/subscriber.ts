import * as confirm from "../api/confirm";
import * as confirmPage from "../api/confirm-page";
import * as dataRightsPage from "../api/data-rights-page";
import * as dataRightsRequest from "../api/data-rights-request";
import * as eraseData from "../api/erase-data";
import * as exportData from "../api/export-data";
import * as getPreferences from "../api/get-preferences";
import * as preferencesForm from "../api/preferences-form";
import * as preferencesPage from "../api/preferences-page";
import * as putPreferences from "../api/put-preferences";
import * as subscribe from "../api/subscribe";
import * as subscribeForm from "../api/subscribe-form";
import * as unsubscribe from "../api/unsubscribe";
import * as unsubscribePage from "../api/unsubscribe-page";
import { audienceFunction } from "../lib/route-dispatch";

/** The subscriber function: sign-up (API and form), confirm, unsubscribe, preferences and data rights. */
export const { handler, route } = audienceFunction("subscriber", {
  "api/subscribe-form": subscribeForm,
  "api/subscribe": subscribe,
  "api/confirm": confirm,
  "api/confirm-page": confirmPage,
  "api/unsubscribe-page": unsubscribePage,
  "api/unsubscribe": unsubscribe,
  "api/preferences-page": preferencesPage,
  "api/preferences-form": preferencesForm,
  "api/get-preferences": getPreferences,
  "api/put-preferences": putPreferences,
  "api/data-rights-request": dataRightsRequest,
  "api/data-rights-page": dataRightsPage,
  "api/export-data": exportData,
  "api/erase-data": eraseData,
});
