import { recordFor } from "../consent";
import type { ContentStore } from "../content";
import { discardUnfollowedAlerts, followedMissions, type AlertWindows } from "../digest";
import { compiledTemplate } from "../emails";
import { escapeHtml, headerSafe } from "../shared/escape";
import { inParallel } from "../shared/in-parallel";
import { planCampaign, variantId, type PlanDeps, type PlannedRecipient, type StoredVariant } from "../campaigns";
import type { Ids, JobQueue } from "../platform/ports";
import type { ManagedMission, MissionCatalogue } from "./ports";
import { countMembership, type MissionStats } from "../stats";
import type { Mission, MissionDirectory } from "../shared/missions";
import { normaliseCadences, type Subscriber, type SubscriberAudience, type SubscriberProfiles } from "../subscription";
import type { PlanJob } from "../shared/jobs";
import { CADENCES, TOPICS, type Language } from "../shared/vocabulary";
import { retirementCampaignKey } from "./manage-missions";

export interface RetirementDeps extends PlanDeps {
  missions: MissionCatalogue;
  store: SubscriberAudience & SubscriberProfiles & MissionDirectory;
  /** Followers' alert windows, and the content to tell which mission a collected item is of. */
  windows: AlertWindows;
  content: ContentStore;
  planQueue: JobQueue<PlanJob>;
  ids: Ids;
  stats?: MissionStats;
  /** Most followers let go per job; a larger mission continues in a fresh job. */
  chunk?: number;
}

export interface RetirementResult {
  status: "done" | "continued" | "not-retired" | "busy";
  /** Followers newly planned for the notice email by this job. */
  planned: number;
  /** Followers whose choices this job changed. */
  removed: number;
}

const DEFAULT_CHUNK = 2000;

/** A mission name inside HTML: escaped, and braces as character references so SES's substitution cannot see them. */
const htmlValue = (s: string) => escapeHtml(s).replace(/\{/g, "&#123;").replace(/\}/g, "&#125;");
/** A mission name inside the text part and subject: no two braces touch. */
const textValue = (s: string) => s.replace(/\{/g, "{\u200b").replace(/\}/g, "\u200b}");

/**
 * The notice in one language: the fixed template compiled at build time, with the mission's name put
 * in now (escaped) and only the recipient placeholders left for the sender. `last` is the variant for
 * people who followed no other active mission. Replies go to the mission's team (`replyTo`), when it has an address.
 */
export function retirementVariant(missionName: string, language: Language, last: boolean, replyTo?: string): StoredVariant {
  const compiled = compiledTemplate(last ? "mission-retired-last" : "mission-retired", language);
  const name = missionName.replace(/\s+/g, " ").trim();
  return {
    subject: headerSafe(compiled.subject.replaceAll("{{missionName}}", textValue(name))),
    html: compiled.html.replaceAll("{{missionName}}", htmlValue(name)),
    text: compiled.text.replaceAll("{{missionName}}", textValue(name)),
    language,
    ...(replyTo ? { replyTo } : {}),
  };
}

/** Everyone who follows a mission, from its fan-out partitions (every topic × cadence; Query, never Scan). */
async function followers(store: SubscriberAudience, missionId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const partitions = TOPICS.flatMap((topic) => CADENCES.map((cadence) => ({ topic, cadence })));
  await inParallel(partitions, 3, async ({ topic, cadence }) => {
    for (const member of await store.audience(missionId, topic, cadence)) ids.add(member.subscriberId);
  });
  return ids;
}

/**
 * Takes the mission out of one subscriber's choices, with an `updated` ledger record (source "staff"),
 * and its items out of their alert windows that are not flushed yet; false if it was not there. The
 * windows go first: a job that stops in between finds the follower again, in the fan-out partitions.
 */
async function letGo(deps: RetirementDeps, missionId: string, subscriberId: string, catalogue: Mission[]): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const now = deps.clock.now();
    const before = await deps.store.getSubscriber(subscriberId, now);
    if (!before || before.status !== "active" || !before.missions.includes(missionId)) return false;
    const { cadenceByMission: _c, ...rest } = before;
    const after: Subscriber = { ...rest, missions: before.missions.filter((m) => m !== missionId) };
    const overrides = normaliseCadences({ ...after, ...(before.cadenceByMission ? { cadenceByMission: before.cadenceByMission } : {}) });
    if (overrides) after.cadenceByMission = overrides;
    await discardUnfollowedAlerts(deps, subscriberId, followedMissions(after.missions, catalogue));
    const at = new Date(now).toISOString();
    const record = { ...recordFor(after, "updated", at, deps.ids.next(), "staff"), reason: `mission-retired:${missionId}` };
    // A concurrent change of their own makes this fail; read again and retry on top of it.
    if ((await deps.store.updatePreferences(before, after, record)) === "updated") {
      await countMembership(deps.stats, before.missions, after.missions, now);
      return true;
    }
  }
  throw new Error(`Subscriber ${subscriberId} kept changing while mission ${missionId} was being retired`);
}

/**
 * The plan-queue job behind `POST /api/staff/missions/{id}/retire`. Two idempotent steps:
 *
 * 1. **Tell.** Every follower is frozen into the campaign `mission-retired#<id>` (the campaign outbox:
 *    a recipient is in exactly one batch, so a retried job, a redelivered message or a second retire
 *    never emails anyone twice). The notice is in their language and says whether this was the only
 *    mission they followed. The sender reads their state again at send time, as for every campaign.
 * 2. **Let go.** The mission leaves each follower's choices: profile, fan-out memberships and an
 *    `updated` ledger record (source "staff", reason `mission-retired:<id>`), one transaction each.
 *    Its items leave their open alert windows, so no collected alert of it follows the notice.
 *
 * Telling comes first, because once let go a follower is no longer in the mission's fan-out partitions
 * and could not be found again. A mission with more than `chunk` followers continues in a fresh job.
 * Someone for whom this was the only mission stays subscribed, with no missions: see the README.
 */
export async function completeRetirement(deps: RetirementDeps, missionId: string): Promise<RetirementResult> {
  const mission: ManagedMission | undefined = await deps.missions.get(missionId);
  if (!mission || mission.status !== "retired") return { status: "not-retired", planned: 0, removed: 0 };
  const following = await followers(deps.store, missionId);
  const key = retirementCampaignKey(missionId);

  const plan = await planCampaign(deps, { key, kind: "mission-retired" }, async (already) => {
    const candidates = [...following].filter((id) => !already.has(id));
    const profiles = await deps.store.getSubscribers(candidates, deps.clock.now());
    const stillActive = new Set((await deps.store.listMissions()).filter((m) => m.status === "active").map((m) => m.id));
    const recipients: PlannedRecipient[] = [];
    const variants = new Map<string, StoredVariant>();
    for (const id of candidates) {
      const s = profiles.get(id);
      if (!s || s.status !== "active" || !s.missions.includes(missionId)) continue;
      const last = !s.missions.some((m) => m !== missionId && stillActive.has(m));
      const name = mission.name[s.language];
      const variant = variantId(["mission-retired", last, s.language, name]);
      if (!variants.has(variant)) variants.set(variant, retirementVariant(name, s.language, last, mission.teamAddress));
      recipients.push({ subscriberId: id, variant });
    }
    return { recipients, variants, skipped: 0 };
  });
  if (plan.status === "busy") {
    // Another job holds the planning lease (a second retire of the same mission): try again shortly.
    await deps.planQueue.enqueue({ kind: "retire-mission", missionId }, { delaySeconds: 30 });
    return { status: "busy", planned: 0, removed: 0 };
  }

  const chunk = deps.chunk ?? DEFAULT_CHUNK;
  const thisJob = [...following].slice(0, chunk);
  const catalogue = await deps.store.listMissions();
  let removed = 0;
  await inParallel(thisJob, 8, async (id) => {
    if (await letGo(deps, missionId, id, catalogue)) removed += 1;
  });
  // Continue only while progress is made, so a stale index entry can never keep a job looping.
  if (following.size > thisJob.length && removed > 0) {
    await deps.planQueue.enqueue({ kind: "retire-mission", missionId });
    return { status: "continued", planned: plan.planned, removed };
  }
  return { status: "done", planned: plan.planned, removed };
}
