import { listMissions } from "@mission-mail/core/missions/manage-missions";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/** GET /api/staff/missions: every mission, retired ones included, with its version for editing. */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  return json(200, { missions: await listMissions(d) });
});
