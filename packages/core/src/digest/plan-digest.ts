import type { ContentItem, ContentStore } from "../content";
import type { ContentEmailSpec, CompiledVariant } from "../emails";
import { inParallel } from "../shared/in-parallel";
import { planCampaign, variantId, type PlanDeps, type PlannedRecipient, type StoredVariant } from "../campaigns";
import type { DigestRun, DigestRunStore } from "./ports";
import type { MissionDirectory } from "../shared/missions";
import type { SubscriberAudience } from "../subscription";
import { TOPICS, type Language, type Topic } from "../shared/vocabulary";
import { digestPeriod, nextDigestRun, periodStart, previousPeriod, type DigestCadence } from "./calendar";

export interface DigestDeps extends PlanDeps {
  store: SubscriberAudience & MissionDirectory;
  content: ContentStore;
  runs: DigestRunStore;
  compile: (spec: ContentEmailSpec, language: Language) => Promise<CompiledVariant>;
}

/** How far ahead a digest lists upcoming seminars. */
const SEMINAR_HORIZON_DAYS: Record<DigestCadence, number> = { weekly: 35, monthly: 62 };

/** The campaign key of a digest period (a contract: `digest#<cadence>#<ISO period>`). */
export const digestCampaignKey = (cadence: DigestCadence, period: string) => `digest#${cadence}#${period}`;

/**
 * Plans one digest period: one email per subscriber across all of their missions. The audience is
 * read by Query per mission, topic and cadence (never Scan); each subscriber's items are the union of
 * their missions' items for their topics, so an item tagged with several of their missions appears
 * once. Upcoming seminars are listed by date, and publications and news that are new since the
 * previous scheduled digest. An empty digest is not sent. MJML runs once per distinct variant
 * (language × item set); recipients are frozen into batches by variant.
 */
export async function planDigest(deps: DigestDeps, request: { runId: string; cadence: DigestCadence; period?: string }): Promise<DigestRun> {
  const now = deps.clock.now();
  const period = request.period ?? digestPeriod(request.cadence, now);
  const key = digestCampaignKey(request.cadence, period);
  const run: DigestRun = { runId: request.runId, cadence: request.cadence, period, campaign: key, state: "planning", planned: 0, empty: 0, createdAt: new Date(now).toISOString() };
  await deps.runs.putRun(run);

  try {
    const result = await planCampaign(deps, { key, kind: "digest" }, async (already) => {
      const missions = (await deps.store.listMissions()).filter((m) => m.status === "active");
      // Who gets this digest, and for which mission × topic.
      const audience = new Map<string, { language: Language; wants: Set<string> }>();
      const partitions = missions.flatMap((m) => TOPICS.map((topic) => ({ mission: m.id, topic })));
      // Fan-out partitions are read a few at a time (Query each, never Scan).
      await inParallel(partitions, 4, async ({ mission, topic }) => {
        for (const member of await deps.store.audience(mission, topic, request.cadence)) {
          if (already.has(member.subscriberId)) continue;
          const entry = audience.get(member.subscriberId) ?? { language: member.language, wants: new Set<string>() };
          entry.wants.add(`${mission}#${topic}`);
          audience.set(member.subscriberId, entry);
        }
      });

      // What is in it: per mission and topic, from the content index by date.
      const nowIso = new Date(now).toISOString();
      const since = new Date(nextDigestRun(request.cadence, periodStart(previousPeriod(period)) - 1)).toISOString();
      const horizon = new Date(now + SEMINAR_HORIZON_DAYS[request.cadence] * 86_400_000).toISOString();
      const itemsFor = new Map<string, ContentItem[]>();
      const wanted = new Set([...audience.values()].flatMap((a) => [...a.wants]));
      for (const m of missions) {
        const seminars = wanted.has(`${m.id}#seminar`) ? await deps.content.upcomingSeminars(m.id, nowIso, horizon) : [];
        const articles = wanted.has(`${m.id}#publication`) || wanted.has(`${m.id}#news`) ? await deps.content.articlesBetween(m.id, since, nowIso) : [];
        itemsFor.set(`${m.id}#seminar`, seminars);
        for (const topic of ["publication", "news"] as Topic[]) itemsFor.set(`${m.id}#${topic}`, articles.filter((a) => a.kind === topic));
      }

      const recipients: PlannedRecipient[] = [];
      const specs = new Map<string, { spec: ContentEmailSpec; language: Language }>();
      // Subscribers with the same language and the same missions × topics get the same digest: its
      // items and variant are worked out once per such group (a few hundred), not per subscriber.
      const byChoice = new Map<string, string | null>();
      const startOf = (i: ContentItem) => (i.kind === "seminar" ? i.startsAt : i.publishedAt);
      const byTimeThenId = (a: ContentItem, b: ContentItem) => Date.parse(startOf(a)) - Date.parse(startOf(b)) || a.id.localeCompare(b.id);
      let empty = 0;
      for (const [subscriberId, { language, wants }] of audience) {
        const choice = `${language}|${[...wants].sort().join(",")}`;
        let id = byChoice.get(choice);
        if (id === undefined) {
          const items = new Map<string, ContentItem>();
          for (const want of wants) for (const item of itemsFor.get(want) ?? []) items.set(item.id, item);
          const all = [...items.values()];
          const seminars = all.filter((i) => i.kind === "seminar").sort(byTimeThenId);
          const publications = all.filter((i) => i.kind !== "seminar").sort((a, b) => byTimeThenId(b, a));
          id = all.length ? variantId([language, ...seminars.map((i) => `${i.id}@${i.version}`), "|", ...publications.map((i) => `${i.id}@${i.version}`)]) : null;
          if (id && !specs.has(id)) specs.set(id, { language, spec: { template: "digest", cadence: request.cadence, period, seminars, publications } });
          byChoice.set(choice, id);
        }
        if (id === null) empty += 1;
        else recipients.push({ subscriberId, variant: id });
      }
      const variants = new Map<string, () => Promise<StoredVariant>>();
      for (const [id, { spec, language }] of specs) variants.set(id, async () => ({ ...(await deps.compile(spec, language)), language }));
      run.empty = empty;
      // Empty digests are counted on the run, not the campaign: a re-run looks at them again.
      return { recipients, variants, skipped: 0 };
    });
    if (result.status === "busy") throw new Error(`Digest ${key} is being planned by another run; try again in a few minutes`);
    Object.assign(run, { state: "planned", planned: result.planned });
  } catch (err) {
    Object.assign(run, { state: "failed", error: (err as Error).message });
    await deps.runs.putRun(run);
    throw err;
  }
  await deps.runs.putRun(run);
  return run;
}
