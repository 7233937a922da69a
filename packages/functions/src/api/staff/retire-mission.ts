import { retireMission } from "@mission-mail/core/missions/manage-missions";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { missionAdmin } from "../../wiring/missions";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/staff/missions/{id}/retire: stops offering the mission at once and answers 202; telling
 * its followers and taking it out of their choices happens on the plan queue (progress:
 * `GET /api/staff/missions/{id}`). Retiring again is harmless and emails nobody twice. Audited.
 */
export const route = httpRoute(async (event, w) => {
  const staff = await requireStaff(event, w);
  const { mission, campaign } = await retireMission(missionAdmin(w), staff, event.pathParameters?.id ?? "");
  return json(202, { mission, campaign, status: `/api/staff/missions/${mission.id}` });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
