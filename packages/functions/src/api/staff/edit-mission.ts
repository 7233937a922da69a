import { editMission, getMission } from "@mission-mail/core/missions/manage-missions";
import { httpRoute, json, jsonBody, type HttpEvent } from "../../lib/http";
import { missionAdmin } from "../../wiring/missions";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * PUT /api/staff/missions/{id} `{ version, name, description, contact }`: replaces them if the mission
 * is still at `version`; 200 with the new version, 404, 400 with `fields`, 409 `version_conflict` or
 * `mission_retired`. Audited.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const id = event.pathParameters?.id ?? "";
  // An unknown mission is 404 whatever the body says.
  await getMission(missionAdmin(w), id);
  return json(200, await editMission(missionAdmin(w), staff, id, jsonBody(event)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
