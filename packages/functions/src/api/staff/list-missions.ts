import { listMissions } from "@mission-mail/core/missions/manage-missions";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { missionAdmin } from "../../wiring/missions";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /api/staff/missions: every mission, retired ones included, with its version for editing. */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  return json(200, { missions: await listMissions(missionAdmin(w)) });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
