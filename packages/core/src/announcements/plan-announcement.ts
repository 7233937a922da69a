import { planCampaign, type PlanDeps, type PlannedRecipient, type StoredVariant } from "../campaigns";
import { teamReplyTo, type MissionDirectory } from "../shared/missions";
import type { SubscriberAudience } from "../subscription";
import type { Language } from "../shared/vocabulary";
import { announcementAudience, contentLanguageFor, type Announcements, type CompileAnnouncement } from "./announcement";
import { announcementCampaignKey, type Announcement } from "./schema";

/** The announcement planner's dependencies: the outbox's, the announcements, the audience and the MJML compiler. */
export interface AnnouncementPlanDeps extends PlanDeps {
  announcements: Announcements;
  store: SubscriberAudience & MissionDirectory;
  compile: CompileAnnouncement;
}

/** What planning did, for the log: planned (how many), or ignored and why (a stale schedule, a cancelled announcement). */
export type AnnouncementPlanOutcome =
  | { status: "planned" | "busy" | "cancelled"; planned: number; batches: number }
  | { status: "ignored"; reason: string };

/**
 * Plans an announcement as a campaign (`announcement#<id>`), from the plan queue: after a send now,
 * or when its schedule fires. A schedule's job carries the instant it was made for, and only the
 * schedule the announcement still names may start it: an old one (rescheduled, or cancelled but not
 * yet deleted) fires into nothing. The audience is read by Query on the fan-out index; each
 * recipient gets the announcement in their language, or in the other one with a note, so there are
 * at most two variants per reader language, each compiled once. A redelivered job plans only
 * recipients no batch holds yet, so it emails nobody twice.
 */
export async function planAnnouncement(deps: AnnouncementPlanDeps, job: { id: string; at?: number }): Promise<AnnouncementPlanOutcome> {
  let a = await deps.announcements.getAnnouncement(job.id);
  if (!a) return { status: "ignored", reason: "no such announcement" };
  if (a.state === "scheduled") {
    if (job.at === undefined || !a.scheduledAt || Date.parse(a.scheduledAt) !== job.at) return { status: "ignored", reason: "a schedule the announcement no longer names" };
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
