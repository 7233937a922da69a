import { describe, expect, it } from "vitest";
import { planDigest, type DigestDeps } from "../../packages/core/src/digest";
import type { ContentItem } from "../../packages/core/src/content";
import type { CompiledVariant, ContentEmailSpec } from "../../packages/core/src/emails";
import type { Language } from "../../packages/core/src/shared/vocabulary";
import { MemoryContentStore, MemoryDigestRuns, world, type World } from "../fakes";

const article = (id: string, missions: string[], over: Partial<ContentItem> = {}): ContentItem =>
  ({ id, version: 1, kind: "news", missions, language: "sv", title: `Nyhet ${id}`, summary: "Text.", url: `https://www.example.org/${id}`, publishedAt: "2026-11-30T08:00:00Z", ...over }) as ContentItem;

/** A compile function that costs nothing: the variant lists the items it was given. */
function fakeCompile() {
  const calls: { spec: ContentEmailSpec; language: Language }[] = [];
  const compile = async (spec: ContentEmailSpec, language: Language): Promise<CompiledVariant> => {
    calls.push({ spec, language });
    const items = spec.template === "digest" ? [...spec.seminars, ...spec.publications].map((i) => i.id).join(",") : "";
    return { subject: `Digest ${language}`, html: `<p>${items}</p>{{unsubscribeUrl}}`, text: items };
  };
  return { compile, calls };
}

function setup() {
  const w = world();
  const content = new MemoryContentStore();
  const runs = new MemoryDigestRuns();
  const { compile, calls } = fakeCompile();
  const refused = new Set<string>();
  const deps: DigestDeps = {
    store: w.store,
    content,
    runs,
    compile,
    leftOut: (item) => (refused.has(item.id) ? { code: "item_left_out", itemId: item.id, version: item.version, reason: "The link is refused by the URL rule." } : undefined),
    outbox: w.outbox,
    sendQueue: w.mailQueue,
    clock: w.clock,
    owner: "digest-planner",
  };
  return { w, content, runs, calls, refused, deps };
}
const weekly = (w: World, id: string, missions: string[], language: Language = "sv") => w.active(id, { missions, topics: ["news"], cadence: "weekly", language });
const recipientsByVariant = (w: World, key: string) => [...(w.outbox.batches.get(key)?.values() ?? [])].map((b) => [b.language, b.recipients]);

describe("digest planning", () => {
  it("reads the audience by mission × topic × cadence and compiles one digest per language and choice, an item once however many missions", async () => {
    const { w, content, calls, deps } = setup();
    weekly(w, "a", ["food-system"]);
    weekly(w, "b", ["food-system"]);
    weekly(w, "c", ["food-system", "mobility"]);
    weekly(w, "d", ["food-system"], "en");
    w.active("e", { missions: ["food-system"], topics: ["news"], cadence: "monthly" });
    content.seed(article("n1", ["food-system", "mobility"]));
    content.seed(article("n2", ["mobility"], { publishedAt: "2026-11-30T10:00:00Z" }));
    const run = await planDigest(deps, { runId: "run-1", cadence: "weekly" });
    expect(run).toMatchObject({ state: "planned", planned: 4, empty: 0, campaign: "digest#weekly#2026-W49" });
    const compiled = calls.map((c) => `${c.language}:${c.spec.template === "digest" ? c.spec.publications.map((i) => i.id).join("+") : ""}`);
    expect(compiled.sort()).toEqual(["en:n1", "sv:n1", "sv:n2+n1"]); // newest first
    expect(recipientsByVariant(w, run.campaign).flatMap(([, r]) => r).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("leaves out empty digests and, on a re-run, plans only new recipients", async () => {
    const { w, content, deps } = setup();
    weekly(w, "a", ["food-system"]);
    weekly(w, "z", ["mobility"]);
    content.seed(article("n1", ["food-system"]));
    expect(await planDigest(deps, { runId: "run-1", cadence: "weekly" })).toMatchObject({ planned: 1, empty: 1 });
    weekly(w, "b", ["food-system"]);
    const again = await planDigest(deps, { runId: "run-2", cadence: "weekly" });
    expect(again).toMatchObject({ planned: 1 });
    expect(recipientsByVariant(w, again.campaign)).toEqual([["sv", ["a"]], ["sv", ["b"]]]);
  });

  it("leaves a bad item out with a warning on the run, and everyone still gets the rest", async () => {
    const { w, content, refused, runs, deps } = setup();
    weekly(w, "a", ["food-system"]);
    content.seed(article("good", ["food-system"]));
    content.seed(article("bad", ["food-system"]));
    refused.add("bad");
    const run = await planDigest(deps, { runId: "run-1", cadence: "weekly" });
    expect(run).toMatchObject({ state: "planned", planned: 1, warnings: [{ code: "item_left_out", itemId: "bad", version: 1 }] });
    expect(await runs.getRun("run-1")).toEqual(run);
  });

  it("fails the run, saying why, when the items left out were all anyone would have got", async () => {
    const { w, content, refused, deps } = setup();
    weekly(w, "a", ["food-system"]);
    content.seed(article("bad", ["food-system"]));
    refused.add("bad");
    const run = await planDigest(deps, { runId: "run-1", cadence: "weekly" });
    expect(run.state).toBe("failed");
    expect(run.error).toContain("every item in their digest could not be put into an email (bad)");
  });

  it("lists only articles since the previous digest and unpublished items not at all", async () => {
    const { w, content, calls, deps } = setup();
    weekly(w, "a", ["food-system"]);
    content.seed(article("old", ["food-system"], { publishedAt: "2026-11-20T08:00:00Z" }));
    content.seed(article("gone", ["food-system"]), "unpublished");
    content.seed(article("new", ["food-system"]));
    await planDigest(deps, { runId: "run-1", cadence: "weekly" });
    expect(calls.map((c) => c.spec.template === "digest" && c.spec.publications.map((i) => i.id))).toEqual([["new"]]);
  });
});
