import { getMission, missionView, retirementCampaignKey } from "@mission-mail/core/missions/manage-missions";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/missions/{id}: one mission with its version; for a retired one also how far telling
 * its followers has come (the `mission-retired#<id>` campaign's counters).
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const mission = await getMission(d, event.pathParameters?.id ?? "");
  if (mission.status !== "retired") return json(200, missionView(mission));
  const campaign = await d.outbox.getCampaign(retirementCampaignKey(mission.id));
  const retirement = campaign
    ? { campaign: campaign.key, state: campaign.state, planned: campaign.planned, sent: campaign.sent, skipped: campaign.skipped, failed: campaign.failed }
    : { campaign: retirementCampaignKey(mission.id), state: "queued", planned: 0, sent: 0, skipped: 0, failed: 0 };
  return json(200, { ...missionView(mission), retirement });
});
