import type { CampaignControl } from "./ports";
import type { Clock, Ids } from "../platform/ports";
import type { PausedReason } from "./schema";
import type { AuditLog } from "../audit";

/** When a send pauses by itself (from configuration: AUTO_PAUSE_*). */
export interface AutoPauseSettings {
  /** Emails sent (since the last resume) before any rate counts. */
  minSample: number;
  /** Complaints per email sent above which the send pauses (0.001 = 0.1%). */
  complaintRate: number;
  /** Hard bounces per email sent above which the send pauses (0.05 = 5%). */
  bounceRate: number;
}

/**
 * The bulk sends that pause by themselves: announcements, digests and immediate alerts (one campaign
 * per item version). A collected alert email (`alert-bundle#`) is one person's email, and a mission's
 * retirement notice goes out once to its followers; neither is a send a pause could save.
 */
export const AUTO_PAUSED_PREFIXES = ["announcement#", "digest#", "alert#"] as const;

/** Whether a campaign key is of a kind that pauses by itself. */
export const autoPauses = (campaignKey: string): boolean => AUTO_PAUSED_PREFIXES.some((prefix) => campaignKey.startsWith(prefix));

const percent = (rate: number) => `${(rate * 100).toLocaleString("en-GB", { maximumFractionDigits: 2 })}%`;

/**
 * Pauses a bulk send (an announcement, a digest or an immediate alert: `autoPauses`) by itself when
 * its complaint rate passes the limit (0.1% by default) or its hard-bounce rate does (5%), so a send
 * going wrong stops before it harms the domain's reputation. Rates count only once the minimum
 * sample has been sent (500 by default), and after a resume only what was sent since, so the first
 * few events cannot stop a send and staff who looked and resumed are not overruled by the same old
 * events. Called where the counters move, after each counted bounce or complaint; the pause is a
 * conditional update on the campaign's state (and on the resume it was measured after), so
 * concurrent events pause it once and never undo a staff decision. The sender then holds every batch
 * not yet sent (frozen, nothing lost) until a publisher resumes or cancels.
 */
export async function checkAutoPause(deps: { campaigns: CampaignControl; clock: Clock }, campaignKey: string, settings: AutoPauseSettings): Promise<PausedReason | undefined> {
  if (!autoPauses(campaignKey)) return undefined;
  const c = await deps.campaigns.campaignStatus(campaignKey);
  if (!c || (c.state !== "sending" && c.state !== "planning")) return undefined;
  const sent = c.sent - (c.baseSent ?? 0);
  if (sent < settings.minSample) return undefined;
  const complaints = (c.complained ?? 0) - (c.baseComplained ?? 0);
  const bounces = (c.bounced ?? 0) - (c.baseBounced ?? 0);
  const at = new Date(deps.clock.now()).toISOString();
  let reason: PausedReason | undefined;
  if (complaints / sent > settings.complaintRate) {
    const rate = complaints / sent;
    reason = { code: "complaint_rate", at, count: complaints, sent, rate, limit: settings.complaintRate, message: `Paused automatically: ${complaints} complaints for ${sent} emails sent (${percent(rate)}), over the ${percent(settings.complaintRate)} limit.` };
  } else if (bounces / sent > settings.bounceRate) {
    const rate = bounces / sent;
    reason = { code: "bounce_rate", at, count: bounces, sent, rate, limit: settings.bounceRate, message: `Paused automatically: ${bounces} hard bounces for ${sent} emails sent (${percent(rate)}), over the ${percent(settings.bounceRate)} limit.` };
  }
  if (!reason) return undefined;
  return (await deps.campaigns.pauseCampaign(campaignKey, reason, { resumedAt: c.resumedAt })) ? reason : undefined;
}

/** Who the audit log names for what the service did by itself. */
export const AUTO_PAUSE_ACTOR = { sub: "system:auto-pause" } as const;

/**
 * `checkAutoPause`, and when it paused the campaign, an entry in the audit log (`campaign.auto-pause`,
 * on the campaign's key, with the rates and the limit), so the log shows why a send stopped next to
 * who resumed or cancelled it. Only the event that paused it records one.
 */
export async function autoPauseAndRecord(
  deps: { campaigns: CampaignControl; clock: Clock; audit: AuditLog; ids: Ids },
  campaignKey: string,
  settings: AutoPauseSettings,
): Promise<PausedReason | undefined> {
  const reason = await checkAutoPause(deps, campaignKey, settings);
  if (!reason) return undefined;
  await deps.audit.append({
    id: deps.ids.next(),
    at: reason.at,
    actor: { ...AUTO_PAUSE_ACTOR },
    action: "campaign.auto-pause",
    targetId: campaignKey,
    details: { code: reason.code, count: reason.count, sent: reason.sent, rate: reason.rate, limit: reason.limit, minSample: settings.minSample },
  });
  return reason;
}
