import { describe, expect, it } from "vitest";
import type { BatchOutbox, CampaignOutbox, CampaignReach, VariantPartsStore } from "../../packages/core/src/campaigns";
import type { Skeleton } from "../../packages/core/src/emails";

let n = 0;
const T0 = Date.parse("2026-12-01T09:00:00.000Z");

/**
 * The outbox's exactly-once rules, run against the in-memory fake (tests/unit) and the DynamoDB
 * adapter (tests/integration).
 */
export function outboxContract(name: string, make: () => Promise<CampaignOutbox & BatchOutbox & CampaignReach & VariantPartsStore>) {
  describe(`${name}: campaign outbox`, () => {
    const key = () => `announcement#contract-${process.pid}-${++n}`;
    const variant = { subject: "S", html: "<p>h</p>", text: "t", language: "sv" as const };

    it("opens a campaign once, gives the planning lease to one planner at a time, and counts a planning step once", async () => {
      const outbox = await make();
      const k = key();
      expect(await outbox.openCampaign(k, "announcement", T0)).toMatchObject({ key: k, state: "planning", planned: 0 });
      expect((await outbox.openCampaign(k, "announcement", T0 + 5)).createdAt).toBe(new Date(T0).toISOString());
      expect(await outbox.takePlanLease(k, "a", T0, T0 + 60_000)).toBe(true);
      expect(await outbox.takePlanLease(k, "b", T0 + 1, T0 + 60_000)).toBe(false);
      expect(await outbox.takePlanLease(k, "b", T0 + 60_001, T0 + 120_000)).toBe(true);
      await outbox.putVariant(k, "v", variant);
      expect(await outbox.getVariant(k, "v")).toEqual(variant);
      expect(await outbox.freezeBatches([{ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["x", "y"] }], T0)).toEqual([]);
      expect(await outbox.freezeBatches([{ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["x", "y"] }], T0)).toEqual([]); // its own retried write
      expect(await outbox.freezeBatches([{ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["z"] }], T0)).toEqual([1]);
      await outbox.addPlanned(k, 2, 1, 0, "step-1");
      await outbox.addPlanned(k, 2, 1, 0, "step-1");
      expect(await outbox.getCampaign(k)).toMatchObject({ state: "sending", planned: 2, batches: 1 });
      expect(await outbox.plannedRecipients(k)).toEqual({ recipients: new Set(["x", "y"]), lastBatch: 1 });
      await outbox.releasePlanLease(k, "b");
    });

    it("leases a planned batch to one sender; keeps progress; completes it once, and the campaign is then done", async () => {
      const outbox = await make();
      const k = key();
      await outbox.openCampaign(k, "announcement", T0);
      await outbox.freezeBatches([{ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["x", "y"] }], T0 + 1000);
      await outbox.addPlanned(k, 2, 1, 0, "s");
      expect(await outbox.leaseBatch(k, 2, "a", T0, T0 + 60_000)).toEqual({ status: "missing" });
      const lease = await outbox.leaseBatch(k, 1, "a", T0, T0 + 60_000);
      expect(lease).toMatchObject({ leased: { recipients: ["x", "y"], status: "planned", results: {}, attempts: 1 } });
      expect(await outbox.leaseBatch(k, 1, "b", T0 + 1, T0 + 60_000)).toEqual({ status: "leased" });
      await outbox.saveProgress(k, 1, "a", { x: { kind: "sent", messageId: "m-1" } }, T0 + 5_000);
      expect(await outbox.dueBatches(T0 + 5_001, 100)).toContainEqual({ campaign: k, batch: 1 });
      const again = await outbox.leaseBatch(k, 1, "b", T0 + 2, T0 + 60_000);
      expect(again).toMatchObject({ leased: { results: { x: { kind: "sent", messageId: "m-1" } }, attempts: 2 } });
      const results = { x: { kind: "sent" as const, messageId: "m-1" }, y: { kind: "skipped" as const, reason: "unsubscribed" as const } };
      expect(await outbox.completeBatch(k, 1, "a", results, { sent: 1, skipped: 1, failed: 0 })).toBe(false);
      expect(await outbox.completeBatch(k, 1, "b", results, { sent: 1, skipped: 1, failed: 0 })).toBe(true);
      expect(await outbox.completeBatch(k, 1, "b", results, { sent: 1, skipped: 1, failed: 0 })).toBe(false);
      expect(await outbox.leaseBatch(k, 1, "c", T0 + 3, T0 + 60_000)).toEqual({ status: "sent" });
      expect(await outbox.getCampaign(k)).toMatchObject({ state: "done", sent: 1, skipped: 1, batchesDone: 1 });
      expect(await outbox.dueBatches(T0 + 10 ** 9, 1000)).not.toContainEqual({ campaign: k, batch: 1 });
    });

    /** `count` batches numbered from `from`, two recipients each, named after the batch and `tag`. */
    const batchesOf = (k: string, from: number, count: number, tag = "r") =>
      Array.from({ length: count }, (_, i) => ({ campaign: k, batch: from + i, variant: "v", language: "sv" as const, recipients: [`${tag}${from + i}a`, `${tag}${from + i}b`] }));

    it.each([0, 1, 100, 101, 250])("freezes %i batches in one call, across transaction chunks, each once", async (count) => {
      const outbox = await make();
      const k = key();
      await outbox.openCampaign(k, "announcement", T0);
      const batches = batchesOf(k, 1, count);
      expect(await outbox.freezeBatches(batches, T0)).toEqual([]);
      const { recipients, lastBatch } = await outbox.plannedRecipients(k);
      expect(lastBatch).toBe(count === 0 ? 0 : count);
      expect(recipients).toEqual(new Set(batches.flatMap((b) => b.recipients)));
      // The whole call again (a retry whose answers were lost) finds every batch its own.
      expect(await outbox.freezeBatches(batches, T0)).toEqual([]);
      if (count) {
        const last = await outbox.leaseBatch(k, count, "s", T0, T0 + 60_000);
        expect(last).toMatchObject({ leased: { batch: count, recipients: [`r${count}a`, `r${count}b`], attempts: 1 } });
      }
    });

    it("a re-plan never resets a batch already leased or sent: the chunk holding them is written around them", async () => {
      const outbox = await make();
      const k = key();
      await outbox.openCampaign(k, "announcement", T0);
      expect(await outbox.freezeBatches(batchesOf(k, 1, 150), T0)).toEqual([]);
      await outbox.addPlanned(k, 300, 150, 0, "first");
      // Batch 3 is sent, batch 120 is leased and has progress, batch 150 is sent.
      const done = { sent: 2, skipped: 0, failed: 0 };
      const sent = (b: number) => ({ [`r${b}a`]: { kind: "sent" as const, messageId: `m${b}a` }, [`r${b}b`]: { kind: "sent" as const, messageId: `m${b}b` } });
      for (const b of [3, 150]) {
        expect(await outbox.leaseBatch(k, b, "s", T0, T0 + 60_000)).toMatchObject({ leased: { batch: b } });
        expect(await outbox.completeBatch(k, b, "s", sent(b), done)).toBe(true);
      }
      expect(await outbox.leaseBatch(k, 120, "s", T0, T0 + 60_000)).toMatchObject({ leased: { batch: 120 } });
      await outbox.saveProgress(k, 120, "s", { r120a: { kind: "sent", messageId: "m120a" } }, T0 + 5_000);
      expect(await outbox.leaseBatch(k, 120, "s2", T0 + 1, T0 + 60_000)).toMatchObject({ leased: { batch: 120, attempts: 2 } });

      // A re-plan that writes batches 1-250 with other recipients: 1-150 are taken, 151-250 are new.
      const replan = batchesOf(k, 1, 250, "new");
      expect(await outbox.freezeBatches(replan, T0 + 10_000)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
      expect(await outbox.leaseBatch(k, 3, "x", T0 + 20_000, T0 + 80_000)).toEqual({ status: "sent" });
      expect(await outbox.leaseBatch(k, 150, "x", T0 + 20_000, T0 + 80_000)).toEqual({ status: "sent" });
      expect(await outbox.leaseBatch(k, 120, "x", T0 + 20_000, T0 + 80_000)).toEqual({ status: "leased" });
      const { recipients, lastBatch } = await outbox.plannedRecipients(k);
      expect(lastBatch).toBe(250);
      expect(recipients.has("r3a") && recipients.has("r120a") && recipients.has("r150b")).toBe(true);
      expect(recipients.has("new3a") || recipients.has("new150a")).toBe(false);
      expect(recipients.has("new151a") && recipients.has("new250b")).toBe(true);
      // The sent batches keep their results and the campaign its counts.
      const finished = await outbox.leaseBatch(k, 120, "s2", T0 + 61_000, T0 + 120_000);
      expect(finished).toMatchObject({ leased: { results: { r120a: { kind: "sent", messageId: "m120a" } } } });
      expect(await outbox.getCampaign(k)).toMatchObject({ sent: 4, batchesDone: 2 });
    });

    it("finds every batch of a campaign planned in several steps, numbers left unused included, and a re-plan writes none of them again", async () => {
      const outbox = await make();
      const k = key();
      await outbox.openCampaign(k, "digest", T0);
      expect(await outbox.freezeBatches(batchesOf(k, 1, 120), T0)).toEqual([]);
      expect(await outbox.freezeBatches(batchesOf(k, 121, 30), T0)).toEqual([]);
      // Numbers 151-159 were never written (a planner stopped in between); the next step goes on at 160.
      expect(await outbox.freezeBatches(batchesOf(k, 160, 11), T0)).toEqual([]);
      await outbox.addPlanned(k, 322, 161, 0, "steps");
      const sent = (b: number) => ({ [`r${b}a`]: { kind: "sent" as const, messageId: `m${b}a` }, [`r${b}b`]: { kind: "sent" as const, messageId: `m${b}b` } });
      expect(await outbox.leaseBatch(k, 125, "s", T0, T0 + 60_000)).toMatchObject({ leased: { batch: 125, recipients: ["r125a", "r125b"] } });
      expect(await outbox.completeBatch(k, 125, "s", sent(125), { sent: 2, skipped: 0, failed: 0 })).toBe(true);
      expect(await outbox.leaseBatch(k, 170, "s", T0, T0 + 60_000)).toMatchObject({ leased: { batch: 170 } });
      const { recipients, lastBatch } = await outbox.plannedRecipients(k);
      expect(lastBatch).toBe(170);
      expect(recipients.size).toBe(2 * 161);
      expect(recipients.has("r1a") && recipients.has("r150b") && recipients.has("r160a") && recipients.has("r170b")).toBe(true);
      expect(recipients.has("r155a")).toBe(false);
      // A re-plan (say a redelivered job) freezing 1-170 over again: every number taken is refused, the
      // unused ones are written, and the sent and leased batches keep their state.
      const taken = await outbox.freezeBatches(batchesOf(k, 1, 170, "again"), T0 + 1_000);
      expect(taken).toEqual([...Array.from({ length: 150 }, (_, i) => i + 1), ...Array.from({ length: 11 }, (_, i) => 160 + i)]);
      expect(await outbox.leaseBatch(k, 125, "x", T0 + 2_000, T0 + 60_000)).toEqual({ status: "sent" });
      expect(await outbox.leaseBatch(k, 170, "x", T0 + 2_000, T0 + 60_000)).toEqual({ status: "leased" });
      expect(await outbox.leaseBatch(k, 155, "x", T0 + 2_000, T0 + 60_000)).toMatchObject({ leased: { recipients: ["again155a", "again155b"] } });
      expect((await outbox.recipientsOf([k])).filter((r) => r.via === "batch" && r.outcome?.kind === "sent").map((r) => r.subscriberId).sort()).toEqual(["r125a", "r125b"]);
    });

    it("answers the earliest due batches first, whichever index partition holds them", async () => {
      const outbox = await make();
      const k = key();
      await outbox.openCampaign(k, "announcement", T0);
      // Due long before anything else in the table, in the reverse order of their numbers.
      const base = 1_000 + (n % 1_000) * 100;
      for (let b = 1; b <= 20; b++) expect(await outbox.freezeBatches(batchesOf(k, b, 1), base + 20 - b)).toEqual([]);
      expect(await outbox.dueBatches(base + 20, 5)).toEqual([20, 19, 18, 17, 16].map((batch) => ({ campaign: k, batch })));
      expect(await outbox.dueBatches(base + 2, 100)).toEqual([20, 19].map((batch) => ({ campaign: k, batch })));
    });

    it("keeps a recipe variant, and a campaign's parts however large, adding and never losing parts", async () => {
      const outbox = await make();
      const k = key();
      const recipe = { subject: "Veckobrev", language: "sv" as const, recipe: { skeleton: "sv|seminars", fills: { "seminars.items": [{ block: "b1" }], preview: [{ html: "1 &amp;", text: "1 &" }] } } };
      await outbox.putVariant(k, "r", recipe);
      expect(await outbox.getVariant(k, "r")).toEqual(recipe);
      // Many at once (more than one BatchWriteItem holds), each read back as stored.
      const many = Array.from({ length: 30 }, (_, i): [string, typeof recipe] => [`m${i}`, { ...recipe, subject: `Veckobrev ${i}` }]);
      await outbox.putVariants(k, many);
      for (const [id, v] of many) expect(await outbox.getVariant(k, id)).toEqual(v);
      expect(await outbox.getParts(k)).toEqual({ skeletons: {}, blocks: {} });
      const skeleton: Skeleton = { subject: "S", html: { parts: ["<p>", "</p>"], runs: [{ holes: ["seminars.items"], trimStart: true, trimEnd: false }] }, text: { parts: ["", ""], runs: [{ holes: ["seminars.items"], trimStart: false, trimEnd: false }] } };
      // Over a megabyte of blocks that do not compress: more than DynamoDB's 400 KB item limit holds.
      let seed = 7;
      const noise = (n: number) => Array.from({ length: n }, () => String.fromCharCode(33 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 90))).join("");
      const blocks = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`sv|seminars|item-${i}@1`, { html: noise(3000), text: noise(1000) }]));
      await outbox.putParts(k, { skeletons: { "sv|seminars": skeleton }, blocks });
      await outbox.putParts(k, { skeletons: {}, blocks: { "en|seminars|x@1": { html: "<div>x</div>", text: "x" } } });
      await outbox.putParts(k, { skeletons: {}, blocks: { "en|seminars|x@1": { html: "<div>x</div>", text: "x" } } });
      const parts = await outbox.getParts(k);
      expect(parts.skeletons).toEqual({ "sv|seminars": skeleton });
      expect(parts.blocks).toEqual({ ...blocks, "en|seminars|x@1": { html: "<div>x</div>", text: "x" } });
      expect(await outbox.getParts(key())).toEqual({ skeletons: {}, blocks: {} });
    });
  });
}
