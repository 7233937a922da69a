import { getMission, missionView, retirementCampaignKey } from "@mission-mail/core/missions/manage-missions";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { outbox } from "../../wiring/campaigns";
import { missionAdmin } from "../../wiring/missions";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/missions/{id}: one mission with its version; for a retired one also how far telling
 * its followers has come (the `mission-retired#<id>` campaign's counters).
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const mission = await getMission(missionAdmin(w), event.pathParameters?.id ?? "");
  if (mission.status !== "retired") return json(200, missionView(mission));
  const campaign = await outbox(w).getCampaign(retirementCampaignKey(mission.id));
  const retirement = campaign
    ? { campaign: campaign.key, state: campaign.state, planned: campaign.planned, sent: campaign.sent, skipped: campaign.skipped, failed: campaign.failed }
    : { campaign: retirementCampaignKey(mission.id), state: "queued", planned: 0, sent: 0, skipped: 0, failed: 0 };
  return json(200, { ...missionView(mission), retirement });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
