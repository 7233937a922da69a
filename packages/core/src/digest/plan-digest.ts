import { topicOf, type ContentItem, type ContentStore, type ItemLeftOut } from "../content";
import type { ContentEmailSpec, CompiledVariant, DigestAssembler, DigestAssemblySpec } from "../emails";
import { inParallel } from "../shared/in-parallel";
import { planCampaign, variantId, type CampaignOutbox, type PlanDeps, type PlannedRecipient, type PlannedVariant, type VariantPartsStore } from "../campaigns";
import type { DigestRun, DigestRunStore } from "./ports";
import type { MissionDirectory } from "../shared/missions";
import { cadenceOf, type SubscriberAudience, type SubscriberProfiles } from "../subscription";
import { CADENCES, TOPICS, type Cadence, type Language, type Topic } from "../shared/vocabulary";
import { digestPeriod, nextDigestRun, periodStart, previousPeriod, type DigestCadence } from "./calendar";

export interface DigestDeps extends PlanDeps {
  outbox: CampaignOutbox & VariantPartsStore;
  store: SubscriberAudience & MissionDirectory & Pick<SubscriberProfiles, "getSubscribers">;
  content: ContentStore;
  runs: DigestRunStore;
  /** Compiles one whole variant with MJML: the per-variant path, used when `assemble` is not given. */
  compile: (spec: ContentEmailSpec, language: Language) => Promise<CompiledVariant>;
  /**
   * Item-level compilation: an assembler that compiles each skeleton once and renders each item's
   * block once per language; variants are then stored as recipes over the campaign's parts.
   */
  assemble?: (spec: DigestAssemblySpec) => DigestAssembler;
  /**
   * Why an item cannot be put into an email (a link the URL rule refuses, a date that cannot be
   * formatted), if it cannot: the MJML compiler's own check, injected with it.
   */
  leftOut: (item: ContentItem) => ItemLeftOut | undefined;
}

/** How far ahead a digest lists upcoming seminars. */
const SEMINAR_HORIZON_DAYS: Record<DigestCadence, number> = { daily: 62, weekly: 35, monthly: 62 };

/** Whether cadence `a` is sent more often than `b` (immediate, then daily, weekly, monthly). */
const shorter = (a: Cadence, b: Cadence) => CADENCES.indexOf(a) < CADENCES.indexOf(b);

/**
 * The mission × topic pairs (`<mission>#<topic>`) a subscriber follows at a cadence shorter than
 * `cadence`, among `active` missions: items of those pairs reach them by that shorter cadence, so this
 * digest leaves them out (the cross-cadence rule, see planDigest).
 */
export function coveredElsewhere(
  subscriber: { missions: string[]; topics: readonly Topic[]; cadence: Cadence; cadenceByMission?: Record<string, Cadence> },
  cadence: DigestCadence,
  active: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  for (const m of subscriber.missions) {
    if (!active.has(m) || !shorter(cadenceOf(subscriber, m), cadence)) continue;
    for (const t of subscriber.topics) out.add(`${m}#${t}`);
  }
  return out;
}

/** A run keeps at most this many warnings, so that a flood of bad items cannot outgrow its record. */
export const RUN_WARNING_LIMIT = 50;

/** The campaign key of a digest period (a contract: `digest#<cadence>#<ISO period>`). */
export const digestCampaignKey = (cadence: DigestCadence, period: string) => `digest#${cadence}#${period}`;

/**
 * Plans one digest period: one email per subscriber across all of their missions followed at this
 * cadence. The audience is read by Query per mission, topic and cadence (never Scan; a subscriber is
 * in the partition of each mission's own cadence); each subscriber's items are the union of their
 * missions' items for their topics, so an item tagged with several of their missions appears once.
 * Weekly and monthly digests list upcoming seminars by date; a daily digest lists only seminars
 * published since the previous daily run (otherwise every day would repeat the same ones). All list
 * publications and news that are new since the previous scheduled digest. An empty digest is not
 * sent, and a period with no new content at all opens no campaign (the run is recorded as `nothingNew`).
 *
 * Across cadences, an item goes to a person by the shortest cadence at which they follow any of its
 * missions with its topic: a digest leaves out an item that one of their missions followed more often
 * (immediate alerts, or a shorter digest) already brings them. Only subscribers marked `mixed` in the
 * fan-out index can be affected, and only their profiles are read for it. The rule follows the
 * choices as they are when the digest is planned. Recipients are frozen into batches by variant
 * (language × item set). With `assemble`, MJML runs once per skeleton (language × which sections are
 * present), each item is rendered once per language, and a variant is a recipe over those parts,
 * which are stored once for the campaign before any batch; without it, MJML compiles each variant.
 *
 * An item that cannot be put into an email (see `leftOut`) is left out of every variant and
 * reported as a warning on the run, and everyone still gets the rest. The run fails only when nothing
 * could be sent: when the items left out were all that anyone who is still to be planned would have
 * got. The error then says so.
 */
export async function planDigest(deps: DigestDeps, request: { runId: string; cadence: DigestCadence; period?: string }): Promise<DigestRun> {
  const now = deps.clock.now();
  const period = request.period ?? digestPeriod(request.cadence, now);
  const key = digestCampaignKey(request.cadence, period);
  const run: DigestRun = { runId: request.runId, cadence: request.cadence, period, campaign: key, state: "planning", planned: 0, empty: 0, createdAt: new Date(now).toISOString() };
  await deps.runs.putRun(run);
  const leftOut = new Map<string, ItemLeftOut | undefined>();
  const isLeftOut = (item: ContentItem) => {
    const ref = `${item.id}@${item.version}`;
    if (!leftOut.has(ref)) leftOut.set(ref, deps.leftOut(item));
    return leftOut.get(ref) !== undefined;
  };
  const warnings = () => [...leftOut.values()].filter((w): w is ItemLeftOut => w !== undefined).map((w) => ({ ...w, reason: w.reason.slice(0, 500) }));
  // Subscribers whose digest is empty only because every item in it was left out.
  let lost = 0;
  // What is in it: per mission, from the content index by date (read once per mission and run).
  const nowIso = new Date(now).toISOString();
  const since = new Date(nextDigestRun(request.cadence, periodStart(previousPeriod(period)) - 1)).toISOString();
  const horizon = new Date(now + SEMINAR_HORIZON_DAYS[request.cadence] * 86_400_000).toISOString();
  const contentCache = new Map<string, Promise<{ seminars: ContentItem[]; articles: ContentItem[] }>>();
  const contentOf = (missionId: string) => {
    if (!contentCache.has(missionId)) {
      contentCache.set(
        missionId,
        (async () => {
          const upcoming = await deps.content.upcomingSeminars(missionId, nowIso, horizon);
          const seminars = request.cadence === "daily" ? upcoming.filter((s) => Date.parse(s.publishedAt) >= Date.parse(since) && Date.parse(s.publishedAt) < now) : upcoming;
          return { seminars, articles: await deps.content.articlesBetween(missionId, since, nowIso) };
        })(),
      );
    }
    return contentCache.get(missionId)!;
  };

  try {
    if (!(await deps.outbox.getCampaign(key))) {
      // Nothing new for anyone (a quiet day): no campaign is opened, so no empty campaign is left behind.
      const active = (await deps.store.listMissions()).filter((m) => m.status === "active");
      const found = await Promise.all(active.map(async (m) => contentOf(m.id)));
      if (found.every((c) => c.seminars.length === 0 && c.articles.length === 0)) {
        Object.assign(run, { state: "planned", nothingNew: true });
        await deps.runs.putRun(run);
        return run;
      }
    }
    const result = await planCampaign(deps, { key, kind: "digest" }, async (already) => {
      const missions = (await deps.store.listMissions()).filter((m) => m.status === "active");
      const missionNames = missions.map((m) => ({ id: m.id, name: m.name }));
      const assembler = deps.assemble?.({ cadence: request.cadence, period, missions: missionNames });
      // Who gets this digest, and for which mission × topic.
      const audience = new Map<string, { language: Language; wants: Set<string>; mixed: boolean }>();
      const partitions = missions.flatMap((m) => TOPICS.map((topic) => ({ mission: m.id, topic })));
      // Fan-out partitions are read a few at a time (Query each, never Scan).
      await inParallel(partitions, 4, async ({ mission, topic }) => {
        for (const member of await deps.store.audience(mission, topic, request.cadence)) {
          if (already.has(member.subscriberId)) continue;
          const entry = audience.get(member.subscriberId) ?? { language: member.language, wants: new Set<string>(), mixed: false };
          entry.wants.add(`${mission}#${topic}`);
          if (member.mixed) entry.mixed = true;
          audience.set(member.subscriberId, entry);
        }
      });

      // Those who follow other missions at a shorter cadence: what those bring them is left out here.
      const active = new Set(missions.map((m) => m.id));
      const covered = new Map<string, Set<string>>();
      const mixed = [...audience].filter(([, a]) => a.mixed).map(([id]) => id);
      const hundreds = Array.from({ length: Math.ceil(mixed.length / 100) }, (_, i) => mixed.slice(i * 100, i * 100 + 100));
      await inParallel(hundreds, 4, async (ids) => {
        for (const [id, s] of await deps.store.getSubscribers(ids, now)) {
          const pairs = coveredElsewhere(s, request.cadence, active);
          if (pairs.size) covered.set(id, pairs);
        }
      });
      const itemsFor = new Map<string, ContentItem[]>();
      const wanted = new Set([...audience.values()].flatMap((a) => [...a.wants]));
      for (const m of missions) {
        if (![...TOPICS].some((t) => wanted.has(`${m.id}#${t}`))) continue;
        const { seminars, articles } = await contentOf(m.id);
        itemsFor.set(`${m.id}#seminar`, seminars);
        for (const topic of ["publication", "news"] as Topic[]) itemsFor.set(`${m.id}#${topic}`, articles.filter((a) => a.kind === topic));
      }

      const recipients: PlannedRecipient[] = [];
      const specs = new Map<string, { spec: ContentEmailSpec; language: Language }>();
      // Subscribers with the same language and the same missions × topics get the same digest: its
      // items and variant are worked out once per such group (a few hundred), not per subscriber.
      const byChoice = new Map<string, { id: string | null; lost: boolean }>();
      const startOf = (i: ContentItem) => (i.kind === "seminar" ? i.startsAt : i.publishedAt);
      const byTimeThenId = (a: ContentItem, b: ContentItem) => Date.parse(startOf(a)) - Date.parse(startOf(b)) || a.id.localeCompare(b.id);
      let empty = 0;
      for (const [subscriberId, { language, wants }] of audience) {
        const elsewhere = covered.get(subscriberId);
        const choice = `${language}|${[...wants].sort().join(",")}|${[...(elsewhere ?? [])].sort().join(",")}`;
        let group = byChoice.get(choice);
        if (group === undefined) {
          const items = new Map<string, ContentItem>();
          const reachesElsewhere = (item: ContentItem) => !!elsewhere && item.missions.some((m) => elsewhere.has(`${m}#${topicOf(item.kind)}`));
          for (const want of wants) for (const item of itemsFor.get(want) ?? []) if (!reachesElsewhere(item)) items.set(item.id, item);
          const all = [...items.values()].filter((i) => !isLeftOut(i));
          const seminars = all.filter((i) => i.kind === "seminar").sort(byTimeThenId);
          const publications = all.filter((i) => i.kind !== "seminar").sort((a, b) => byTimeThenId(b, a));
          const id = all.length ? variantId([language, ...seminars.map((i) => `${i.id}@${i.version}`), "|", ...publications.map((i) => `${i.id}@${i.version}`)]) : null;
          if (id && !specs.has(id)) specs.set(id, { language, spec: { template: "digest", cadence: request.cadence, period, seminars, publications, missions: missionNames } });
          group = { id, lost: id === null && items.size > 0 };
          byChoice.set(choice, group);
        }
        if (group.id !== null) recipients.push({ subscriberId, variant: group.id });
        else {
          empty += 1;
          if (group.lost) lost += 1;
        }
      }
      const variants = new Map<string, PlannedVariant | (() => Promise<PlannedVariant>)>();
      if (assembler) {
        for (const [id, { spec, language }] of specs) {
          if (spec.template !== "digest") continue;
          const { subject, recipe } = await assembler.variant(language, spec.seminars, spec.publications);
          variants.set(id, { subject, language, recipe });
        }
        // Every skeleton and block, stored before any variant or batch that needs them.
        if (specs.size) await deps.outbox.putParts(key, assembler.parts());
      } else {
        for (const [id, { spec, language }] of specs) variants.set(id, async () => ({ ...(await deps.compile(spec, language)), language }));
      }
      run.empty = empty;
      // Empty digests are counted on the run, not the campaign: a re-run looks at them again.
      return { recipients, variants, skipped: 0 };
    });
    if (result.status === "busy") throw new Error(`Digest ${key} is being planned by another run; try again in a few minutes`);
    Object.assign(run, { state: "planned", planned: result.planned }, withWarnings(warnings()));
    if (result.planned === 0 && lost > 0) {
      // Planning again cannot help until the items are fixed, so the run fails without a retry.
      const ids = warnings().map((w) => w.itemId);
      run.state = "failed";
      run.error = `No digest could be sent: for ${lost} subscriber(s), every item in their digest could not be put into an email (${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""}). See the warnings, fix the items in the CMS and run the digest again.`;
    }
  } catch (err) {
    Object.assign(run, { state: "failed", error: (err as Error).message }, withWarnings(warnings()));
    await deps.runs.putRun(run);
    throw err;
  }
  await deps.runs.putRun(run);
  return run;
}

const withWarnings = (warnings: ItemLeftOut[]) => (warnings.length ? { warnings: warnings.slice(0, RUN_WARNING_LIMIT) } : {});
