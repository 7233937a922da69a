import { describe, expect, it } from "vitest";
import {
  countOutcomes,
  decodeStoredOutcome,
  deliveryRecords,
  encodeStoredOutcome,
  isDelivery,
  reachedRecipients,
  type RecipientOutcome,
} from "../../packages/core/src/campaigns/recipient-outcome";

const sent: RecipientOutcome = { kind: "sent", messageId: "0100-abc:def" };
const failed: RecipientOutcome = { kind: "failed", reason: "rendering: Attribute 'name' is not present" };
const skipped: RecipientOutcome = { kind: "skipped", reason: "suppressed" };

describe("recipient outcomes", () => {
  it("are stored as they always were: sent:<id>, skipped:<reason>, failed:<reason>", () => {
    expect(encodeStoredOutcome(sent)).toBe("sent:0100-abc:def");
    expect(encodeStoredOutcome(failed)).toBe("failed:rendering: Attribute 'name' is not present");
    expect(encodeStoredOutcome(skipped)).toBe("skipped:suppressed");
    expect(encodeStoredOutcome({ kind: "sent", messageId: "" })).toBe("sent:");
    for (const outcome of [sent, failed, skipped, { kind: "sent", messageId: "" } as const]) expect(decodeStoredOutcome(encodeStoredOutcome(outcome))).toEqual(outcome);
  });

  it("count by kind, and only sent and failed ones are deliveries", () => {
    expect(countOutcomes({ a: sent, b: failed, c: skipped, d: sent })).toEqual({ sent: 2, skipped: 1, failed: 1 });
    expect([sent, failed, skipped].map(isDelivery)).toEqual([true, true, false]);
  });

  it("give one delivery record per delivery, none for a skipped recipient", () => {
    const records = deliveryRecords({ key: "digest#weekly#2026-W48", kind: "digest" }, 3, "Veckans nyheter", "2026-11-30T07:00:00.000Z", { a: sent, b: failed, c: skipped });
    expect(records).toEqual([
      { subscriberId: "a", record: { campaign: "digest#weekly#2026-W48", batch: 3, kind: "digest", subject: "Veckans nyheter", status: "sent", at: "2026-11-30T07:00:00.000Z", messageId: "0100-abc:def", feedback: {} } },
      { subscriberId: "b", record: { campaign: "digest#weekly#2026-W48", batch: 3, kind: "digest", subject: "Veckans nyheter", status: "failed", at: "2026-11-30T07:00:00.000Z", reason: failed.reason, feedback: {} } },
    ]);
  });

  it("reach every batch member not skipped (those not sent yet too) and every bundled recipient", () => {
    const reached = reachedRecipients([
      { via: "batch", subscriberId: "a", language: "sv", outcome: sent },
      { via: "batch", subscriberId: "b", language: "en", outcome: skipped },
      { via: "batch", subscriberId: "c", language: "en", outcome: undefined },
      { via: "batch", subscriberId: "d", language: "sv", outcome: failed },
      { via: "bundle", subscriberId: "b", language: "sv" },
    ]);
    expect([...reached]).toEqual([
      ["a", "sv"],
      ["c", "en"],
      ["d", "sv"],
      ["b", "sv"],
    ]);
  });
});
