import { describe, expect, it } from "vitest";
import { planDigest, type DigestDeps } from "../../packages/core/src/digest";
import { sendBatch, isRecipe, type BatchSenderDeps } from "../../packages/core/src/campaigns";
import { compileContentEmail, digestAssembler, DIGEST_SECTION_LIMIT, type DigestAssembler } from "../../packages/core/src/emails/compile-content";
import type { ContentItem } from "../../packages/core/src/content";
import type { BatchJob } from "../../packages/core/src/shared/jobs";
import { MemoryContentStore, MemoryDigestRuns, world, type World } from "../fakes";

const ODD = `Mat & "hälsa" <i>nu</i> {{unsubscribeUrl}} }} 👩‍🔬`;

/** The same content for both worlds: a capped news section, seminars with odd text and links, a publication in English. */
function seed(content: MemoryContentStore) {
  for (let i = 0; i < DIGEST_SECTION_LIMIT + 3; i++) {
    content.seed({ id: `n${i}`, version: 1, kind: "news", missions: ["food-system"], language: "sv", title: `Nyhet ${i} ${ODD}`, summary: `Text ${ODD}\nrad två`, url: `https://www.example.org/n/${i}?a=1&b=<${i}>`, publishedAt: `2026-11-30T1${i % 10}:00:00Z` } as ContentItem);
  }
  content.seed({ id: "p1", version: 3, kind: "publication", missions: ["mobility", "food-system"], language: "en", title: "A report", summary: "About {x}.", url: "https://www.example.org/p1#'x'", publishedAt: "2026-11-29T09:00:00Z" } as ContentItem);
  for (const [i, at] of ["2026-12-10T09:00:00Z", "2026-12-12T13:00:00Z"].entries()) {
    content.seed({ id: `s${i}`, version: 1, kind: "seminar", missions: ["mobility"], language: i ? "en" : "sv", title: `Seminarium ${ODD}`, summary: "x", url: `https://www.example.org/s/${i}`, publishedAt: "2026-11-28T09:00:00Z", startsAt: at, endsAt: at.replace("T09", "T11").replace("T13", "T15"), location: `Sal <${i}> & {{x}}`, ...(i ? {} : { registrationUrl: "https://www.example.org/anmälan?s=1&t=2" }) } as ContentItem);
  }
}

/** Subscribers with different languages and choices, so the digest has many variants and section combinations. */
function people(w: World) {
  const choices = [
    { missions: ["food-system"], topics: ["news"] },
    { missions: ["mobility"], topics: ["seminar"] },
    { missions: ["mobility"], topics: ["publication"] },
    { missions: ["food-system", "mobility"], topics: ["news", "seminar", "publication"] },
    { missions: ["mobility"], topics: ["seminar", "publication"] },
  ] as const;
  let n = 0;
  for (const language of ["sv", "en"] as const) for (const c of choices) for (let k = 0; k < 3; k++) w.active(`p${++n}`, { missions: [...c.missions], topics: [...c.topics], cadence: "weekly", language });
}

function planner(w: World, content: MemoryContentStore, assemble?: DigestDeps["assemble"]): DigestDeps {
  return { store: w.store, content, runs: new MemoryDigestRuns(), compile: compileContentEmail, ...(assemble ? { assemble } : {}), leftOut: () => undefined, outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "planner" };
}

const sender = (w: World, mode: "bulk" | "single"): BatchSenderDeps => ({
  outbox: w.outbox,
  store: w.store,
  mailer: w.mailer,
  pacer: w.pacer,
  clock: w.clock,
  tokenKeys: w.tokenKeys,
  publicUrl: "https://mail.example.org/",
  unsubscribeMailto: "unsubscribe@mail.example.org",
  replyTo: "Missions <info@mail.example.org>",
  owner: "sender",
  leaseMs: 300_000,
  maxPacingWaitMs: 10_000,
  mode,
  backoff: { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => undefined, random: () => 0 },
});

/** Plans this week's digest and sends every batch; answers what the mailer got, by recipient. */
async function planAndSend(mode: "bulk" | "single", assemble?: DigestDeps["assemble"]) {
  const w = world();
  const content = new MemoryContentStore();
  seed(content);
  people(w);
  const run = await planDigest(planner(w, content, assemble), { runId: "r", cadence: "weekly" });
  expect(run.state).toBe("planned");
  for (const job of w.mailQueue.bodies.filter((j): j is BatchJob => j.kind === "batch")) expect((await sendBatch(sender(w, mode), job)).outcome).toBe("sent");
  const byRecipient = new Map<string, unknown>();
  for (const e of w.mailer.sent) byRecipient.set(e.to, e);
  for (const call of w.mailer.bulkCalls) for (const entry of call.entries) byRecipient.set(entry.to, { template: call.template, replyTo: call.replyTo, entry, tags: call.tags, set: call.configurationSet });
  return { w, run, byRecipient };
}

describe("digest planning with item-level compilation", () => {
  for (const mode of ["single", "bulk"] as const) {
    it(`sends every reader, in ${mode} mode, byte for byte the email the per-variant path sends, with MJML run once per skeleton`, async () => {
      let assembler: DigestAssembler | undefined;
      const items = await planAndSend(mode, (spec) => (assembler = digestAssembler(spec)));
      const variants = await planAndSend(mode);
      expect(items.run.planned).toBe(30);
      expect(items.byRecipient.size).toBe(30);
      expect([...items.byRecipient.keys()].sort()).toEqual([...variants.byRecipient.keys()].sort());
      for (const [to, email] of variants.byRecipient) expect(items.byRecipient.get(to), to).toEqual(email);

      // Variants are recipes; the parts were stored once for the campaign and read once by the sender.
      const key = items.run.campaign;
      const stored = [...items.w.outbox.variants.entries()].filter(([k]) => k.startsWith(`${key}|`)).map(([, v]) => v);
      expect(stored.length).toBeGreaterThan(6);
      expect(stored.every(isRecipe)).toBe(true);
      expect(items.w.outbox.partsReads.get(key)).toBe(1);
      // MJML: one compilation per language × sections present (here 2 × 3), not one per variant.
      expect(assembler!.compilations).toBe(6);
      expect(assembler!.compilations).toBeLessThan(stored.length);
      expect(Object.keys(items.w.outbox.parts.get(key)!.skeletons)).toHaveLength(6);
    }, 120_000);
  }

  it("a re-run adds the parts its new variants need, and a sender that read the campaign's parts before reads them again", async () => {
    const w = world();
    const content = new MemoryContentStore();
    seed(content);
    w.active("a", { missions: ["food-system"], topics: ["news"], cadence: "weekly", language: "sv" });
    const deps = planner(w, content, digestAssembler);
    await planDigest(deps, { runId: "r1", cadence: "weekly" });
    const send = async () => {
      for (const job of w.mailQueue.bodies.filter((j): j is BatchJob => j.kind === "batch")) await sendBatch(sender(w, "single"), job);
    };
    await send();
    // Someone new, who follows only the seminars: a skeleton and blocks the first run did not make.
    w.active("b", { missions: ["mobility"], topics: ["seminar"], cadence: "weekly", language: "en" });
    const again = await planDigest(deps, { runId: "r2", cadence: "weekly" });
    expect(again.planned).toBe(1);
    await send();
    expect(w.mailer.sent.map((e) => e.to).sort()).toEqual(["a@example.org", "b@example.org"]);
    const seminarMail = w.mailer.sent.find((e) => e.to === "b@example.org")!;
    expect(seminarMail.html).toContain("Seminarium Mat &amp; &quot;hälsa&quot;");
    expect(seminarMail.html).not.toMatch(/MMHOLE/);
    expect(w.outbox.partsReads.get(again.campaign)).toBe(2);
  }, 60_000);
});
