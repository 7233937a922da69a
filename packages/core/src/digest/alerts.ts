import type { ContentEmailSpec, CompiledVariant } from "../emails";
import { inParallel } from "../shared/in-parallel";
import { planCampaign, variantId, reachedRecipients, type PlanDeps, type PlanResult, type PlannedRecipient, type CampaignOutbox, type CampaignReach, type StoredVariant } from "../campaigns";
import type { AlertWindows } from "./ports";
import { topicOf, type ContentStore, type StoredContent, type ContentAlerts, type ContentItem, type ItemLeftOut, type Seminar } from "../content";
import type { SubscriberAudience, SubscriberProfiles } from "../subscription";
import type { JobQueue } from "../platform/ports";
import { teamReplyTo, type Mission, type MissionDirectory } from "../shared/missions";
import type { PlanJob } from "../shared/jobs";
import type { Language } from "../shared/vocabulary";

export interface AlertDeps extends PlanDeps {
  outbox: CampaignOutbox & CampaignReach;
  store: SubscriberAudience & SubscriberProfiles & MissionDirectory;
  content: ContentStore;
  windows: AlertWindows;
  planQueue: JobQueue<PlanJob>;
  compile: (spec: ContentEmailSpec, language: Language) => Promise<CompiledVariant>;
  /**
   * Why an item cannot be put into an email (a link the URL rule refuses, a date that cannot be
   * formatted), if it cannot: the MJML compiler's own check, injected with it.
   */
  leftOut: (item: ContentItem) => ItemLeftOut | undefined;
  /** How long after an alert further items are collected into one email. */
  windowMs: number;
}

/** The campaign key of an item's alert (a contract: `alert#<item id>#<version>`). */
export const alertCampaignKey = (itemId: string, version: number) => `alert#${itemId}#${version}`;
const itemRef = (item: ContentItem) => `${item.id}#${item.version}`;
const refParts = (ref: string) => ({ id: ref.slice(0, ref.lastIndexOf("#")), version: Number(ref.slice(ref.lastIndexOf("#") + 1)) });

/**
 * The missions whose items may still reach a subscriber: those they follow that the catalogue has not
 * retired. The digest reads its audience the same way (active missions only), and collected alerts
 * must not outlive either choice.
 */
export function followedMissions(subscriberMissions: readonly string[], catalogue: readonly Mission[]): Set<string> {
  const active = new Set(catalogue.filter((m) => m.status === "active").map((m) => m.id));
  return new Set(subscriberMissions.filter((m) => active.has(m)));
}

/** Whether an item still concerns a subscriber following `followed`: one of its missions is among them. */
const concerns = (item: ContentItem, followed: ReadonlySet<string>) => item.missions.some((m) => followed.has(m));

/**
 * Takes out of a subscriber's alert windows that are not flushed yet every collected item that no
 * longer concerns them (none of its missions is in `followed`). Retiring a mission calls it for each
 * follower, so the mission's collected alerts never arrive after the email saying it has ended; an
 * item also tagged with a mission they still follow stays.
 */
export async function discardUnfollowedAlerts(
  deps: { windows: AlertWindows; content: ContentStore },
  subscriberId: string,
  followed: ReadonlySet<string>,
): Promise<void> {
  for (const window of await deps.windows.unflushed(subscriberId)) {
    const gone: string[] = [];
    for (const ref of window.items) {
      const stored = await deps.content.getContent(refParts(ref).id);
      if (stored && !concerns(stored.item, followed)) gone.push(ref);
    }
    await deps.windows.discard(subscriberId, window.windowEndsAt, gone);
  }
}

/**
 * Compiles one variant per language. Replies go to the team of the items' mission when they are all
 * about one mission (or missions sharing a team address), else to the general address.
 */
async function compileVariants(deps: AlertDeps, languages: Iterable<Language>, items: ContentItem[], spec: (language: Language) => ContentEmailSpec) {
  const variants = new Map<string, StoredVariant>();
  const byLanguage = new Map<Language, string>();
  const replyTo = teamReplyTo(items.flatMap((i) => i.missions), await deps.store.listMissions());
  for (const language of new Set(languages)) {
    const s = spec(language);
    const id = variantId([language, s]);
    variants.set(id, { ...(await deps.compile(s, language)), language, ...(replyTo ? { replyTo } : {}) });
    byLanguage.set(language, id);
  }
  return { variants, byLanguage };
}

/**
 * Alerts immediate subscribers of a newly published item. A subscriber with no open alert window
 * gets it at once (the campaign's batches) and opens a window; one whose window is open gets it
 * collected, and the first item collected schedules the window's flush, so a bulk import becomes one
 * email per window instead of a flood.
 */
export async function planItemAlert(deps: AlertDeps, stored: StoredContent): Promise<PlanResult> {
  const item = stored.item;
  const key = alertCampaignKey(item.id, item.version);
  return planCampaign(deps, { key, kind: "alert" }, async (already) => {
    const audience = new Map<string, Language>();
    for (const missionId of item.missions) {
      for (const m of await deps.store.audience(missionId, topicOf(item.kind), "immediate")) audience.set(m.subscriberId, m.language);
    }
    const now = deps.clock.now();
    const immediate: { subscriberId: string; language: Language }[] = [];
    await inParallel([...audience].filter(([id]) => !already.has(id)), 16, async ([subscriberId, language]) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const window = await deps.windows.open(subscriberId, itemRef(item), now, now + deps.windowMs);
        if (window.opened) return void immediate.push({ subscriberId, language });
        const collected = await deps.windows.collect(subscriberId, window.windowEndsAt, itemRef(item));
        if (collected === "first") {
          const delaySeconds = Math.min(900, Math.max(0, Math.ceil((window.windowEndsAt - deps.clock.now()) / 1000)));
          await deps.planQueue.enqueue({ kind: "flush-alerts", subscriberId, windowEndsAt: window.windowEndsAt }, { delaySeconds });
        }
        if (collected !== "closed") return;
        // That window was flushed a moment ago: open a new one.
      }
      throw new Error(`Could not place an alert for subscriber ${subscriberId}`);
    });
    const template = item.kind === "seminar" ? "seminar-alert" : "publication-alert";
    const { variants, byLanguage } = await compileVariants(deps, immediate.map((r) => r.language), [item], () =>
      item.kind === "seminar" ? { template: "seminar-alert", item: item as Seminar } : { template, item } as ContentEmailSpec,
    );
    const recipients: PlannedRecipient[] = immediate.map((r) => ({ subscriberId: r.subscriberId, variant: byLanguage.get(r.language)! }));
    return { recipients, variants, skipped: 0 };
  });
}

/**
 * Tells the people already alerted about a seminar that its time or place changed: everyone in the
 * earlier alert campaigns of the item (and anyone who got it in a collected alert email), and no one
 * else.
 */
export async function planChangedNotice(deps: AlertDeps, stored: StoredContent, previous: Seminar): Promise<PlanResult> {
  const item = stored.item as Seminar;
  const earlier = stored.alertedVersions.filter((v) => v < item.version).map((v) => alertCampaignKey(item.id, v));
  return planCampaign(deps, { key: alertCampaignKey(item.id, item.version), kind: "alert" }, async (already) => {
    const alerted = reachedRecipients(await deps.outbox.recipientsOf(earlier));
    const targets = [...alerted].filter(([id]) => !already.has(id));
    const languages = new Map<string, Language>();
    const missing = targets.filter(([, l]) => !l).map(([id]) => id);
    const profiles = missing.length ? await deps.store.getSubscribers(missing, deps.clock.now()) : new Map();
    for (const [id, language] of targets) {
      const l = language ?? profiles.get(id)?.language;
      if (l) languages.set(id, l);
    }
    const { variants, byLanguage } = await compileVariants(deps, languages.values(), [item], () => ({ template: "seminar-changed", item, previous }));
    return { recipients: [...languages].map(([subscriberId, l]) => ({ subscriberId, variant: byLanguage.get(l)! })), variants, skipped: 0 };
  });
}

/**
 * Sends what a subscriber's alert window collected, as one email, when the window ends. Items that
 * were unpublished meanwhile, seminars that are over, and items of missions the subscriber no longer
 * follows or that were retired meanwhile are left out, as the digest leaves them out; if nothing is
 * left, nothing is sent. So is an item that cannot be put into an email (see `leftOut`), which is
 * reported in `leftOut` while the others still go.
 */
export async function flushAlertWindow(
  deps: AlertDeps,
  job: { subscriberId: string; windowEndsAt: number },
): Promise<{ result?: PlanResult; leftOut: ItemLeftOut[] }> {
  const refs = await deps.windows.close(job.subscriberId, job.windowEndsAt);
  const subscriber = await deps.store.getSubscriber(job.subscriberId, deps.clock.now());
  const leftOut: ItemLeftOut[] = [];
  if (!refs.length || !subscriber || subscriber.status !== "active") return { leftOut };
  const catalogue = await deps.store.listMissions();
  const followed = followedMissions(subscriber.missions, catalogue);
  const now = deps.clock.now();
  const items: ContentItem[] = [];
  const alertKeys: string[] = [];
  for (const ref of refs) {
    const { id, version } = refParts(ref);
    const stored = await deps.content.getContent(id);
    if (!stored || stored.status !== "published" || !concerns(stored.item, followed)) continue;
    if (stored.item.kind === "seminar" && Date.parse(stored.item.endsAt) < now) continue;
    const bad = deps.leftOut(stored.item);
    if (bad) {
      if (!leftOut.some((l) => l.itemId === bad.itemId)) leftOut.push(bad);
      continue;
    }
    if (!items.some((i) => i.id === id)) items.push(stored.item);
    alertKeys.push(alertCampaignKey(id, version));
  }
  if (!items.length) return { leftOut };
  const seminars = items.filter((i): i is Seminar => i.kind === "seminar").sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const publications = items.filter((i) => i.kind !== "seminar").sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
  const result = await planCampaign(deps, { key: `alert-bundle#${job.subscriberId}#${job.windowEndsAt}`, kind: "alert-bundle" }, async () => {
    const { variants, byLanguage } = await compileVariants(deps, [subscriber.language], items, () => ({
      template: "alert-bundle",
      seminars,
      publications,
      missions: catalogue.map((m) => ({ id: m.id, name: m.name })),
    }));
    return { recipients: [{ subscriberId: subscriber.id, variant: byLanguage.get(subscriber.language)! }], variants, skipped: 0 };
  });
  await deps.outbox.recordBundled(alertKeys, subscriber.id, subscriber.language);
  return { result, leftOut };
}

/** The alert planner as the content capability's `ContentAlerts` port, for applying content events. */
export function contentAlerts(deps: AlertDeps): ContentAlerts {
  return {
    planItemAlert: (stored) => planItemAlert(deps, stored),
    planChangedNotice: (stored, previous) => planChangedNotice(deps, stored, previous),
    leftOut: (item) => deps.leftOut(item),
  };
}
