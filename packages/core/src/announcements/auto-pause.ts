import type { CampaignControl } from "./ports";
import type { Clock } from "../platform/ports";
import type { PausedReason } from "./schema";

/** When a send pauses by itself (from configuration: AUTO_PAUSE_*). */
export interface AutoPauseSettings {
  /** Emails sent (since the last resume) before any rate counts. */
  minSample: number;
  /** Complaints per email sent above which the send pauses (0.001 = 0.1%). */
  complaintRate: number;
  /** Hard bounces per email sent above which the send pauses (0.05 = 5%). */
  bounceRate: number;
}

const percent = (rate: number) => `${(rate * 100).toLocaleString("en-GB", { maximumFractionDigits: 2 })}%`;

/**
 * Pauses an announcement's send by itself when its complaint rate passes the limit (0.1% by default)
 * or its hard-bounce rate does (5%), so a send going wrong stops before it harms the domain's
 * reputation. Rates count only once the minimum sample has been sent (500 by default), and after a
 * resume only what was sent since, so the first few events cannot stop a send and staff who looked
 * and resumed are not overruled by the same old events. Called where the counters move, after each
 * counted bounce or complaint; the pause is a conditional update on the campaign's state (and on the
 * resume it was measured after), so concurrent events pause it once and never undo a staff decision.
 */
export async function checkAutoPause(deps: { campaigns: CampaignControl; clock: Clock }, campaignKey: string, settings: AutoPauseSettings): Promise<PausedReason | undefined> {
  if (!campaignKey.startsWith("announcement#")) return undefined;
  const c = await deps.campaigns.campaignStatus(campaignKey);
  if (!c || (c.state !== "sending" && c.state !== "planning")) return undefined;
  const sent = c.sent - (c.baseSent ?? 0);
  if (sent < settings.minSample) return undefined;
  const complaints = (c.complained ?? 0) - (c.baseComplained ?? 0);
  const bounces = (c.bounced ?? 0) - (c.baseBounced ?? 0);
  const at = new Date(deps.clock.now()).toISOString();
  let reason: PausedReason | undefined;
  if (complaints / sent > settings.complaintRate) {
    reason = { code: "complaint_rate", at, message: `Paused automatically: ${complaints} complaints for ${sent} emails sent (${percent(complaints / sent)}), over the ${percent(settings.complaintRate)} limit.` };
  } else if (bounces / sent > settings.bounceRate) {
    reason = { code: "bounce_rate", at, message: `Paused automatically: ${bounces} hard bounces for ${sent} emails sent (${percent(bounces / sent)}), over the ${percent(settings.bounceRate)} limit.` };
  }
  if (!reason) return undefined;
  return (await deps.campaigns.pauseCampaign(campaignKey, reason, { resumedAt: c.resumedAt })) ? reason : undefined;
}
