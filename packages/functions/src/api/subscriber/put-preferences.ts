import { updatePreferences } from "@mission-mail/core/subscription/preferences";
import { httpRoute, json, jsonBody, type HttpEvent } from "../../lib/http";
import { tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * PUT /api/preferences?token=…: replaces the subscriber's choices (missions, topics, cadence,
 * language, tracking) and records the change in the consent ledger. Answers the saved preferences.
 */
export const route = httpRoute(async (event, w) => {
  const body = jsonBody(event);
  return json(200, await updatePreferences(selfService(w), tokenParam(event), body, "web"));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
