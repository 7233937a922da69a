import { retireMission } from "@mission-mail/core/missions/manage-missions";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/missions/{id}/retire: stops offering the mission at once and answers 202; telling
 * its followers and taking it out of their choices happens on the plan queue (progress:
 * `GET /api/staff/missions/{id}`). Retiring again is harmless and emails nobody twice. Audited.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const { mission, campaign } = await retireMission(d, staff, event.pathParameters?.id ?? "");
  return json(202, { mission, campaign, status: `/api/staff/missions/${mission.id}` });
});
