import { addMission } from "@mission-mail/core/missions/manage-missions";
import { deps } from "../lib/deps";
import { httpHandler, json, jsonBody } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/missions `{ id, name: {sv, en}, description: {sv, en}, contact }`: adds an active
 * mission; 201 with it, 400 `validation_failed` with `fields`, 409 `mission_exists`. Audited.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const mission = await addMission(d, staff, jsonBody(event));
  return json(201, mission, { location: `/api/staff/missions/${mission.id}` });
});
