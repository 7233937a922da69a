import { updatePreferences } from "@mission-mail/core/subscription/preferences";
import { deps, selfService } from "../lib/deps";
import { httpHandler, json, jsonBody } from "../lib/http";
import { tokenParam } from "../lib/pages";

/**
 * PUT /api/preferences?token=…: replaces the subscriber's choices (missions, topics, cadence,
 * language, tracking) and records the change in the consent ledger. Answers the saved preferences.
 */
export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  return json(200, await updatePreferences(selfService(await deps()), tokenParam(event), body, "web"));
});
