import { describe, expect, it } from "vitest";
import { planDigest, runStatus, type DigestDeps } from "../../packages/core/src/digest";
import type { ContentItem } from "../../packages/core/src/content";
import type { CompiledVariant, ContentEmailSpec } from "../../packages/core/src/emails";
import { AppError } from "../../packages/core/src/shared/errors";
import type { Language } from "../../packages/core/src/shared/vocabulary";
import {
  cadenceOf,
  confirm,
  formatCadenceColumn,
  normaliseCadences,
  parseCadenceColumn,
  readPreferences,
  updatePreferences,
} from "../../packages/core/src/subscription";
import { MemoryContentStore, MemoryDigestRuns, PEPPER, POLICY, subscribeNow as subscribe, world, type World } from "../fakes";

const article = (id: string, missions: string[], over: Partial<ContentItem> = {}): ContentItem =>
  ({ id, version: 1, kind: "news", missions, language: "sv", title: `Nyhet ${id}`, summary: "Text.", url: `https://www.example.org/${id}`, publishedAt: "2026-11-30T10:00:00Z", ...over }) as ContentItem;
const seminar = (id: string, missions: string[], publishedAt: string): ContentItem =>
  ({ id, version: 1, kind: "seminar", missions, language: "sv", title: `Seminarium ${id}`, summary: "Text.", url: `https://www.example.org/${id}`, publishedAt, startsAt: "2026-12-10T09:00:00Z", endsAt: "2026-12-10T10:00:00Z", location: "Online" }) as ContentItem;

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};
const settings = { addressPepper: PEPPER, ipSalt: "salt", rateLimitPerAddress: 3, rateLimitPerIp: 5, rateWindowSeconds: 3600 };
const base = (w: World) => ({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys, stats: w.stats });
const signUp = (w: World, over: Record<string, unknown>) =>
  subscribe({ ...base(w), limiter: w.limiter, queue: w.mailQueue, settings }, {
    email: "bo@example.org",
    language: "sv",
    missions: ["food-system", "mobility"],
    topics: ["news"],
    cadence: "weekly",
    consent: { newsletter: true, policyVersion: POLICY },
    ...over,
  }, { source: "api" });

function digestSetup() {
  const w = world();
  const content = new MemoryContentStore();
  const calls: { spec: ContentEmailSpec; language: Language }[] = [];
  const compile = async (_spec: ContentEmailSpec, _language: Language): Promise<CompiledVariant> => ({ subject: "", html: "", text: "" });
  const deps: DigestDeps = { store: w.store, content, runs: new MemoryDigestRuns(), compile, leftOut: () => undefined, outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "test" };
  // The compile fake's subject lists the items, so each stored variant says what it holds.
  deps.compile = async (spec, language) => {
    calls.push({ spec, language });
    const ids = spec.template === "digest" ? [...spec.seminars, ...spec.publications].map((i) => i.id).sort() : [];
    return { subject: ids.join(","), html: "<p>x</p>{{unsubscribeUrl}}", text: "x" };
  };
  /** Who got which items in a campaign: subscriber → item ids. */
  const items = async (key: string) => {
    const out: Record<string, string[]> = {};
    for (const b of w.outbox.batches.get(key)?.values() ?? []) {
      const v = await w.outbox.getVariant(key, b.variant);
      for (const r of b.recipients) out[r] = v!.subject.split(",").filter(Boolean);
    }
    return out;
  };
  return { w, content, deps, calls, items };
}

describe("per-mission cadence rules", () => {
  it("an override wins for its mission, the subscriber's cadence holds for the rest; only differing overrides are kept", () => {
    const s = { missions: ["a", "b", "c"], cadence: "weekly" as const, cadenceByMission: { a: "immediate" as const, b: "weekly" as const, gone: "daily" as const } };
    expect(["a", "b", "c"].map((m) => cadenceOf(s, m))).toEqual(["immediate", "weekly", "weekly"]);
    expect(normaliseCadences(s)).toEqual({ a: "immediate" });
    expect(normaliseCadences({ missions: ["a"], cadence: "weekly" })).toBeUndefined();
    // An object's own keys only: a mission called "constructor" follows the subscriber's cadence.
    expect(cadenceOf({ missions: ["constructor"], cadence: "monthly", cadenceByMission: {} }, "constructor")).toBe("monthly");
  });

  it("reads and writes the import column mission:cadence;mission:cadence, refusing what it cannot read", () => {
    expect(parseCadenceColumn(" food-system:immediate ; mobility:daily ;")).toEqual({ value: { "food-system": "immediate", mobility: "daily" } });
    expect(parseCadenceColumn("")).toEqual({ value: {} });
    expect(parseCadenceColumn("food-system=weekly")).toMatchObject({ problem: expect.stringContaining("is not mission:cadence") });
    expect(parseCadenceColumn("food-system:hourly")).toMatchObject({ problem: expect.stringContaining('"hourly" for food-system') });
    expect(formatCadenceColumn({ "food-system": "immediate", mobility: "daily" })).toBe("food-system:immediate;mobility:daily");
  });
});

describe("signing up with a cadence per mission", () => {
  it("stores the overrides, and confirming puts each mission in its own cadence's fan-out partition, marked mixed", async () => {
    const w = world();
    await signUp(w, { cadenceByMission: { "food-system": "immediate", mobility: "weekly" } });
    const id = w.mailJobs()[0]!.subscriberId;
    const pending = (await w.store.getSubscriber(id, w.clock.now()))!;
    expect(pending).toMatchObject({ cadence: "weekly", cadenceByMission: { "food-system": "immediate" } });
    expect((await w.store.ledger(id))[0]).toMatchObject({ event: "requested", cadence: "weekly", cadenceByMission: { "food-system": "immediate" } });
    await confirm(base(w), w.token("confirm", id));
    expect(await w.store.audience("food-system", "news", "immediate")).toEqual([{ subscriberId: id, language: "sv", mixed: true }]);
    expect(await w.store.audience("mobility", "news", "weekly")).toEqual([{ subscriberId: id, language: "sv", mixed: true }]);
    expect(await w.store.audience("food-system", "news", "weekly")).toEqual([]);
  });

  it("names each wrong entry of cadenceByMission in one 400 and stores nothing", async () => {
    const w = world();
    const err = await refusal(signUp(w, { missions: ["food-system"], cadenceByMission: { atlantis: "daily", mobility: "daily", "food-system": "hourly" } }));
    expect(err.status).toBe(400);
    expect(err.fields!.map((f) => f.field).sort()).toEqual(["cadenceByMission.atlantis", "cadenceByMission.food-system", "cadenceByMission.mobility"]);
    expect(err.fields!.find((f) => f.field === "cadenceByMission.mobility")!.message).toContain("not one of the chosen missions");
    expect(err.fields!.find((f) => f.field === "cadenceByMission.atlantis")!.message).toContain("Unknown mission");
    expect((await refusal(signUp(w, { cadenceByMission: ["food-system"] }))).fields!.map((f) => f.field)).toEqual(["cadenceByMission"]);
    expect(w.store.profiles.size + w.mailQueue.jobs.length).toBe(0);
  });
});

describe("preferences with a cadence per mission", () => {
  it("shows the overrides, moves only the memberships whose cadence changed, and a PUT without them returns to one cadence", async () => {
    const w = world();
    w.active("sub-1", { missions: ["food-system", "mobility"], topics: ["news"], cadence: "weekly" });
    const token = w.token("manage", "sub-1");
    expect((await readPreferences(base(w), token)).cadenceByMission).toEqual({});
    const body = { language: "sv", missions: ["food-system", "mobility"], topics: ["news"], cadence: "weekly", tracking: false };
    const view = await updatePreferences(base(w), token, { ...body, cadenceByMission: { mobility: "daily", "food-system": "weekly" } }, "web");
    expect(view).toMatchObject({ cadence: "weekly", cadenceByMission: { mobility: "daily" } });
    expect(await w.store.audience("mobility", "news", "daily")).toEqual([{ subscriberId: "sub-1", language: "sv", mixed: true }]);
    expect(await w.store.audience("food-system", "news", "weekly")).toEqual([{ subscriberId: "sub-1", language: "sv", mixed: true }]);
    expect((await w.store.ledger("sub-1")).at(-1)).toMatchObject({ event: "updated", cadenceByMission: { mobility: "daily" } });

    const back = await updatePreferences(base(w), token, body, "web");
    expect(back.cadenceByMission).toEqual({});
    expect(await w.store.audience("mobility", "news", "daily")).toEqual([]);
    expect(await w.store.audience("mobility", "news", "weekly")).toEqual([{ subscriberId: "sub-1", language: "sv" }]);
    expect((await w.store.getSubscriber("sub-1", w.clock.now()))!.cadenceByMission).toBeUndefined();
  });

  it("refuses an override for a mission that is not chosen, and stores nothing", async () => {
    const w = world();
    w.active("sub-1", { missions: ["food-system"], cadence: "weekly" });
    const err = await refusal(updatePreferences(base(w), w.token("manage", "sub-1"), { language: "sv", missions: ["food-system"], topics: ["news"], cadence: "weekly", tracking: false, cadenceByMission: { mobility: "daily" } }, "api"));
    expect(err.fields).toEqual([{ field: "cadenceByMission.mobility", message: expect.stringContaining("not one of the chosen missions") }]);
    expect(await w.store.ledger("sub-1")).toEqual([]);
  });
});

describe("digests with cadences per mission", () => {
  it("a daily digest goes to those who follow a mission daily, one email across their daily missions", async () => {
    const { w, content, deps, items } = digestSetup();
    w.active("a", { missions: ["food-system", "mobility"], cadence: "daily" });
    w.active("b", { missions: ["food-system", "mobility"], cadence: "weekly", cadenceByMission: { mobility: "daily" } });
    content.seed(article("f1", ["food-system"]));
    content.seed(article("m1", ["mobility"]));
    content.seed(article("yesterday", ["mobility"], { publishedAt: "2026-11-30T06:00:00Z" }));
    const run = await planDigest(deps, { runId: "d1", cadence: "daily" });
    expect(run).toMatchObject({ state: "planned", planned: 2, campaign: "digest#daily#2026-12-01" });
    // Published before the previous daily run (08:00 Stockholm, 07:00 UTC on 30 November) is not new.
    expect(await items(run.campaign)).toEqual({ a: ["f1", "m1"], b: ["m1"] });
    const weekly = await planDigest(deps, { runId: "w1", cadence: "weekly" });
    expect(await items(weekly.campaign)).toEqual({ b: ["f1"] });
  });

  it("leaves out of a digest what a mission followed more often brings (alerts, or a shorter digest)", async () => {
    const { w, content, deps, items } = digestSetup();
    // c: food-system alerted at once, mobility weekly. d: food-system daily, mobility weekly. e: one cadence.
    w.active("c", { missions: ["food-system", "mobility"], cadence: "weekly", cadenceByMission: { "food-system": "immediate" } });
    w.active("d", { missions: ["food-system", "mobility"], cadence: "weekly", cadenceByMission: { "food-system": "daily" } });
    w.active("e", { missions: ["food-system", "mobility"], cadence: "weekly" });
    content.seed(article("both", ["food-system", "mobility"]));
    content.seed(article("mob", ["mobility"]));
    const weekly = await planDigest(deps, { runId: "w1", cadence: "weekly" });
    expect(await items(weekly.campaign)).toEqual({ c: ["mob"], d: ["mob"], e: ["both", "mob"] });
    const daily = await planDigest(deps, { runId: "d1", cadence: "daily" });
    expect(await items(daily.campaign)).toEqual({ d: ["both"] });
  });

  it("holds for the monthly digest too: what a mission followed weekly brought is left out", async () => {
    const { w, content, deps, items } = digestSetup();
    w.active("f", { missions: ["food-system", "mobility"], topics: ["publication"], cadence: "monthly", cadenceByMission: { "food-system": "weekly" } });
    content.seed(article("pub", ["food-system", "mobility"], { kind: "publication" }));
    w.clock.set("2026-12-07T09:00:00Z"); // the first Monday of December: the monthly digest covers November
    content.seed(article("pub-nov", ["food-system", "mobility"], { kind: "publication", publishedAt: "2026-11-10T10:00:00Z" }));
    content.seed(article("pub-mob", ["mobility"], { kind: "publication", publishedAt: "2026-11-10T10:00:00Z" }));
    const monthly = await planDigest(deps, { runId: "m1", cadence: "monthly", period: "2026-12" });
    // pub-nov belongs to food-system too, which f follows weekly: the weekly digest brought it.
    expect((await items(monthly.campaign)).f).toEqual(["pub-mob"]);
  });

  it("a daily digest lists only seminars published since the previous daily run, not every upcoming one again", async () => {
    const { w, content, deps, items } = digestSetup();
    w.active("a", { missions: ["food-system"], topics: ["seminar"], cadence: "daily" });
    content.seed(seminar("old", ["food-system"], "2026-11-20T10:00:00Z"));
    content.seed(seminar("new", ["food-system"], "2026-11-30T12:00:00Z"));
    const run = await planDigest(deps, { runId: "d1", cadence: "daily" });
    expect(await items(run.campaign)).toEqual({ a: ["new"] });
  });

  it("a quiet day sends nothing and opens no campaign; the run says nothing was new and reads as done", async () => {
    const { w, content, deps, calls } = digestSetup();
    w.active("a", { missions: ["food-system"], cadence: "daily" });
    content.seed(article("old", ["food-system"], { publishedAt: "2026-11-20T10:00:00Z" }));
    const run = await planDigest(deps, { runId: "d1", cadence: "daily" });
    expect(run).toMatchObject({ state: "planned", planned: 0, nothingNew: true });
    expect(w.outbox.campaigns.has("digest#daily#2026-12-01")).toBe(false);
    expect(calls).toEqual([]);
    expect(w.mailQueue.jobs).toEqual([]);
    expect(runStatus(run, undefined)).toMatchObject({ state: "done", planned: 0, nothingNew: true });
  });
});
