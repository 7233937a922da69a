import { addMission } from "@mission-mail/core/missions/manage-missions";
import { httpRoute, json, jsonBody, type HttpEvent } from "../../lib/http";
import { missionAdmin } from "../../wiring/missions";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/missions `{ id, name: {sv, en}, description: {sv, en}, contact }`: adds an active
 * mission; 201 with it, 400 `validation_failed` with `fields`, 409 `mission_exists`. Audited.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const mission = await addMission(missionAdmin(w), staff, jsonBody(event));
  return json(201, mission, { location: `/api/staff/missions/${mission.id}` });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
