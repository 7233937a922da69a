import { editMission, getMission } from "@mission-mail/core/missions/manage-missions";
import { deps } from "../lib/deps";
import { httpHandler, json, jsonBody } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * PUT /api/staff/missions/{id} `{ version, name, description, contact }`: replaces them if the mission
 * is still at `version`; 200 with the new version, 404, 400 with `fields`, 409 `version_conflict` or
 * `mission_retired`. Audited.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const id = event.pathParameters?.id ?? "";
  // An unknown mission is 404 whatever the body says.
  await getMission(d, id);
  return json(200, await editMission(d, staff, id, jsonBody(event)));
});
