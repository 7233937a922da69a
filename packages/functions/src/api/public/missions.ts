import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /api/missions: the active missions catalogue. */
export const route = httpRoute(async (_event, w) => {
  // Only the public fields: staff bookkeeping (version, times) stays in the staff API.
  const missions = (await subscriberStore(w).listMissions()).filter((m) => m.status === "active").map(({ id, name, description, contact, status }) => ({ id, name, description, contact, status }));
  return json(200, { missions }, { "cache-control": "public, max-age=60" });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
