import { describe, expect, it } from "vitest";
import { retentionLines } from "../../packages/cli/src/commands/stats";
import { DeadLetterList, expireDeadLetters } from "../../packages/local/src/queue";

describe("mm stats' retention lines", () => {
  it("print the last sweep's count per category and the work it left", () => {
    const lines = retentionLines({ at: "2026-12-02T02:30:00.000Z", counts: { pendingSignUps: 2, unsubscribedErased: 1, deliveriesDeleted: 340, batchesCompacted: 7, auditPseudonymised: 0 }, more: ["deliveriesDeleted"] });
    expect(lines[0]).toBe("Retention, last sweep 2026-12-02T02:30:00.000Z:");
    expect(lines).toContain("    2  unconfirmed sign-ups removed");
    expect(lines).toContain("  340  delivery history entries deleted");
    expect(lines.at(-1)).toBe("  work left for the next sweep: deliveriesDeleted");
  });

  it("say so before the first sweep", () => {
    expect(retentionLines(null)).toEqual(["Retention: the daily sweep has not run yet."]);
  });
});

describe("the local dead-letter lists", () => {
  it("drop what is older than the retention period, as SQS does", async () => {
    const list = new DeadLetterList();
    await list.put("{}", "old");
    const arrived = Date.now();
    await list.put("{}", "new");
    expect(expireDeadLetters(list.items, 14 * 86_400_000, arrived + 13 * 86_400_000)).toBe(0);
    expect(list.items).toHaveLength(2);
    expect(expireDeadLetters(list.items, 14 * 86_400_000, arrived + 15 * 86_400_000)).toBe(2);
    expect(list.items).toEqual([]);
  });
});
