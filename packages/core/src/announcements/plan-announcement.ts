import { planCampaign, type PlanDeps, type PlannedRecipient, type StoredVariant } from "../campaigns";
import { teamReplyTo, type MissionDirectory } from "../shared/missions";
import type { SubscriberAudience } from "../subscription";
import type { Language } from "../shared/vocabulary";
import { recordStaffAction, type AuditLog } from "../audit";
import type { Clock, Ids } from "../platform/ports";
import { announcementAudience, contentLanguageFor, type Announcements, type CompileAnnouncement } from "./announcement";
import { lastEditorOf, nameOf, needsApproval } from "./approval";
import { announcementCampaignKey, type Announcement } from "./schema";

/** The announcement planner's dependencies: the outbox's, the announcements, the audience and the MJML compiler. */
export interface AnnouncementPlanDeps extends PlanDeps {
  announcements: Announcements;
  store: SubscriberAudience & MissionDirectory;
  compile: CompileAnnouncement;
  /** Sends to more recipients than this need a second publisher's approval (APPROVAL_THRESHOLD), checked again when a schedule fires. */
  approvalThreshold: number;
  audit: AuditLog;
  ids: Ids;
  clock: Clock;
}

/** The actor the audit log names for what a schedule does by itself. */
export const SCHEDULER_ACTOR = { sub: "scheduler", groups: [] as string[] };

/** What planning did, for the log: planned (how many), or ignored and why (a stale schedule, a cancelled announcement). */
export type AnnouncementPlanOutcome =
  | { status: "planned" | "busy" | "cancelled"; planned: number; batches: number }
  | { status: "ignored"; reason: string }
  | { status: "held"; audience: number; threshold: number };

/**
 * Plans an announcement as a campaign (`announcement#<id>`), from the plan queue: after a send now,
 * or when its schedule fires. A schedule's job carries the instant it was made for, and only the
 * schedule the announcement still names may start it: an old one (rescheduled, or cancelled but not
 * yet deleted) fires into nothing. The audience is read by Query on the fan-out index; each
 * recipient gets the announcement in their language, or in the other one with a note, so there are
 * at most two variants per reader language, each compiled once. A redelivered job plans only
 * recipients no batch holds yet, so it emails nobody twice.
 *
 * The four-eyes rule is checked again when a schedule fires: an audience that has grown above the
 * approval threshold since an unapproved announcement was scheduled holds it. It goes back to draft,
 * its schedule spent, with an audit entry saying why, and waits for a publisher's approval.
 */
export async function planAnnouncement(deps: AnnouncementPlanDeps, job: { id: string; at?: number }): Promise<AnnouncementPlanOutcome> {
  let a = await deps.announcements.getAnnouncement(job.id);
  if (!a) return { status: "ignored", reason: "no such announcement" };
  if (a.state === "scheduled") {
    if (job.at === undefined || !a.scheduledAt || Date.parse(a.scheduledAt) !== job.at) return { status: "ignored", reason: "a schedule the announcement no longer names" };
    if (!a.approval) {
      const audience = (await announcementAudience(deps.store, a.missions)).size;
      if (needsApproval(audience, deps.approvalThreshold)) return hold(deps, a, audience);
    }
    const next: Announcement = { ...a, state: "sending", updatedAt: new Date(deps.clock.now()).toISOString(), version: a.version + 1 };
    a = (await deps.announcements.replaceAnnouncement(next, a.version)) ? next : await deps.announcements.getAnnouncement(job.id);
    if (!a) return { status: "ignored", reason: "no such announcement" };
  }
  if (a.state !== "sending") return { status: "ignored", reason: `the announcement is ${a.state}` };
  const announcement = a;
  const result = await planCampaign(deps, { key: announcementCampaignKey(a.id), kind: "announcement" }, async (already) => {
    const audience = await announcementAudience(deps.store, announcement.missions);
    const missions = await deps.store.listMissions();
    const recipients: PlannedRecipient[] = [];
    const variants = new Map<string, () => Promise<StoredVariant>>();
    // An announcement for one mission is answered by its team; one for several, by the general address.
    const replyTo = teamReplyTo(announcement.missions, missions);
    for (const [subscriberId, language] of audience) {
      if (already.has(subscriberId)) continue;
      const contentLanguage = contentLanguageFor(announcement, language);
      const variant = `${language}-${contentLanguage}`;
      recipients.push({ subscriberId, variant });
      if (!variants.has(variant)) {
        const missionNames = announcement.missions.map((id) => missions.find((m) => m.id === id)?.name[language] ?? id);
        variants.set(variant, async () => ({
          ...(await deps.compile({ template: "announcement", content: announcement, contentLanguage, missionNames }, language)),
          language: language as Language,
          ...(replyTo ? { replyTo } : {}),
        }));
      }
    }
    return { recipients, variants, skipped: 0 };
  });
  return { status: result.status, planned: result.planned, batches: result.batches };
}

/** Takes an unapproved scheduled announcement whose audience outgrew the threshold back to draft, audited first. */
async function hold(deps: AnnouncementPlanDeps, a: Announcement, audience: number): Promise<AnnouncementPlanOutcome> {
  const { scheduledAt: _at, scheduledFor, ...rest } = a;
  const next: Announcement = { ...rest, state: "draft", updatedAt: new Date(deps.clock.now()).toISOString(), version: a.version + 1 };
  await recordStaffAction(deps, SCHEDULER_ACTOR, "announcement.schedule-held", a.id, {
    reason: "approval_required",
    audience,
    threshold: deps.approvalThreshold,
    ...(scheduledFor ? { scheduledFor } : {}),
    author: nameOf(lastEditorOf(a)),
  });
  // A concurrent edit or cancel wins: the announcement is then no longer this scheduled version.
  await deps.announcements.replaceAnnouncement(next, a.version);
  return { status: "held", audience, threshold: deps.approvalThreshold };
}
