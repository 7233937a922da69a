import { describe, expect, it } from "vitest";
import type { BatchOutbox, CampaignOutbox } from "../../packages/core/src/campaigns";

let n = 0;
const T0 = Date.parse("2026-12-01T09:00:00.000Z");

/**
 * The outbox's exactly-once rules, run against the in-memory fake (tests/unit) and the DynamoDB
 * adapter (tests/integration).
 */
export function outboxContract(name: string, make: () => Promise<CampaignOutbox & BatchOutbox>) {
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
      expect(await outbox.freezeBatch({ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["x", "y"] }, T0)).toBe(true);
      expect(await outbox.freezeBatch({ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["x", "y"] }, T0)).toBe(true); // its own retried write
      expect(await outbox.freezeBatch({ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["z"] }, T0)).toBe(false);
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
      await outbox.freezeBatch({ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["x", "y"] }, T0 + 1000);
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
  });
}
