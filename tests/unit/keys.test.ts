import { describe, expect, it } from "vitest";
import * as Keys from "../../packages/core/src/platform/table-keys";

describe("table keys (one per access pattern in docs/design.md)", () => {
  it("puts a subscriber's profile, ledger, memberships and deliveries in one partition", () => {
    const pk = Keys.subscriberKey("01ABC").PK;
    expect(Keys.subscriberKey("01ABC")).toEqual({ PK: "SUB#01ABC", SK: "PROFILE" });
    expect(Keys.consentKey("01ABC", "2026-11-22T12:00:00.000Z", "01REC")).toEqual({ PK: pk, SK: "CONSENT#2026-11-22T12:00:00.000Z#01REC" });
    expect(Keys.membershipKey("01ABC", "food-system", "seminar")).toEqual({ PK: pk, SK: "MEMBER#food-system#seminar" });
    expect(Keys.deliveryKey("01ABC", "digest#weekly#2026-W48")).toEqual({ PK: pk, SK: "DELIVERY#digest#weekly#2026-W48" });
    expect(Keys.consentKey("x", "t", "r").SK.startsWith(Keys.CONSENT_PREFIX)).toBe(true);
    expect(Keys.membershipKey("x", "m", "t").SK.startsWith(Keys.MEMBER_PREFIX)).toBe(true);
    expect(Keys.alertQueueKey("01ABC", 1_796_000_000_000)).toEqual({ PK: pk, SK: "ALERTQ#1796000000000" });
    expect(Keys.alertQueueKey("x", 1).SK.startsWith(Keys.ALERTQ_PREFIX)).toBe(true);
    expect(Keys.alertWindowKey("x").SK.startsWith(Keys.ALERTQ_PREFIX)).toBe(false);
  });

  it("sorts ledger records by time within the partition", () => {
    const a = Keys.consentKey("s", "2026-01-02T00:00:00.000Z", "Z").SK;
    const b = Keys.consentKey("s", "2026-11-02T00:00:00.000Z", "A").SK;
    expect([b, a].sort()).toEqual([a, b]);
  });

  it("serves fan-out by mission, topic and cadence from GSI1", () => {
    expect(Keys.fanoutIndexKey("mobility", "news", "immediate", "01ABC")).toEqual({ GSI1PK: "FANOUT#mobility#news#immediate", GSI1SK: "SUB#01ABC" });
  });

  it("looks up addresses and suppressions by HMAC only", () => {
    expect(Keys.addressKey("ab12")).toEqual({ PK: "ADDR#ab12", SK: "ADDR" });
    expect(Keys.suppressionKey("ab12")).toEqual({ PK: "SUPP#ab12", SK: "SUPP" });
  });

  it("gives each campaign batch a partition of its own, apart from the header; old campaigns' batches stay in number order", () => {
    expect(Keys.campaignKey("announcement#a1")).toEqual({ PK: "CAMPAIGN#announcement#a1", SK: "META" });
    expect(Keys.campaignBatchKey("digest#weekly#2026-W49", 7)).toEqual({ PK: "CAMPAIGN#digest#weekly#2026-W49#BATCH#000007", SK: "BATCH" });
    expect(Keys.campaignBatchKey("k", 1).PK).not.toBe(Keys.campaignKey("k").PK);
    expect(Keys.campaignBatchKey("k", 1).PK).not.toBe(Keys.campaignBatchKey("k", 2).PK);
    // Campaigns opened before batches had partitions of their own keep them in the campaign's, in number order.
    const sks = [10, 2, 1].map((n) => Keys.legacyCampaignBatchKey("k", n).SK).sort();
    expect(sks).toEqual(["BATCH#000001", "BATCH#000002", "BATCH#000010"]);
    expect(Keys.legacyCampaignBatchKey("k", 1).PK).toBe(Keys.campaignKey("k").PK);
  });

  it("spreads a campaign's per-recipient counters and the sweep index over shards, a redelivered event to the same shard", () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => Keys.counterShardOf(`event-${i}`)));
    expect([...shards].sort((a, b) => a - b)).toEqual(Array.from({ length: Keys.COUNTER_SHARDS }, (_, i) => i));
    expect(Keys.counterShardOf("event-7")).toBe(Keys.counterShardOf("event-7"));
    expect(Keys.campaignCounterKey("digest#weekly#2026-W49", 3)).toEqual({ PK: "CAMPAIGN#digest#weekly#2026-W49#COUNTERS#3", SK: "COUNTERS" });
    expect(Keys.campaignCounterKey("k", 0).PK).not.toBe(Keys.campaignKey("k").PK);
    expect([1, 2, 8, 9].map((b) => Keys.outboxIndexKey(5, "k", b).GSI1PK)).toEqual(["OUTBOX#1", "OUTBOX#2", "OUTBOX#0", "OUTBOX#1"]);
    expect(Keys.OUTBOX_PARTITIONS).toEqual(["OUTBOX", ...Array.from({ length: Keys.OUTBOX_SHARDS }, (_, i) => `OUTBOX#${i}`)]);
  });

  it("lists the missions catalogue from one partition and rate-limits per window", () => {
    expect(Keys.missionKey("food-system")).toEqual({ PK: "MISSIONS", SK: "MISSION#food-system" });
    expect(Keys.rateLimitKey("ip", "h", 3600)).toEqual({ PK: "RATE#ip#h", SK: "W#3600" });
  });
});

describe("announcement keys", () => {
  it("keeps an announcement by id and lists announcements newest first from one GSI1 partition", () => {
    expect(Keys.announcementKey("01JANN")).toEqual({ PK: "ANNOUNCEMENT#01JANN", SK: "ANNOUNCEMENT" });
    expect(Keys.announcementListIndexKey("2026-11-23T09:00:00.000Z", "01JANN")).toEqual({ GSI1PK: "ANNOUNCEMENTS", GSI1SK: "2026-11-23T09:00:00.000Z#01JANN" });
    const older = Keys.announcementListIndexKey("2026-01-02T00:00:00.000Z", "01Z").GSI1SK;
    const newer = Keys.announcementListIndexKey("2026-11-02T00:00:00.000Z", "01A").GSI1SK;
    expect([newer, older].sort()).toEqual([older, newer]);
  });
});
