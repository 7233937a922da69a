import { describe, expect, it } from "vitest";
import { recordFor } from "../../packages/core/src/consent";
import { monthsBefore, retentionCutoffs, staffPseudonym, sweepRetention, type RetentionPeriods } from "../../packages/core/src/retention";
import type { Subscriber } from "../../packages/core/src/subscription";
import { MemoryAuditLog, MemoryRetention, PEPPER, POLICY, world } from "../fakes";

const DAY = 24 * 3600 * 1000;
const PERIODS: RetentionPeriods = { unsubscribedDays: 30, deliveryMonths: 13, batchDays: 90, auditMonths: 24, pageSize: 100, maxPages: 100 };

function setup(periods: Partial<RetentionPeriods> = {}) {
  const w = world();
  const audit = new MemoryAuditLog();
  const retention = new MemoryRetention(w.store, w.outbox, audit);
  const deps = { retention, subscribers: w.store, clock: w.clock, ids: w.ids, pseudonym: (a: string) => staffPseudonym(PEPPER, a), periods: { ...PERIODS, ...periods } };
  return { w, audit, retention, sweep: () => sweepRetention(deps) };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A pending sign-up made now, expiring in 7 days as the confirmation link does. */
async function pending(w: ReturnType<typeof world>, id: string): Promise<Subscriber> {
  const now = w.clock.now();
  const s: Subscriber = {
    id,
    email: `${id}@example.org`,
    addressHmac: w.hmac(`${id}@example.org`),
    status: "pending",
    policyVersion: POLICY,
    language: "sv",
    missions: ["food-system"],
    topics: ["news"],
    cadence: "weekly",
    tracking: false,
    createdAt: iso(now),
    expiresAt: Math.floor(now / 1000) + 7 * 24 * 3600,
  };
  expect(await w.store.createPending(s, recordFor(s, "requested", iso(now), w.ids.next(), "web"))).toBe("created");
  return s;
}

async function unsubscribed(w: ReturnType<typeof world>, id: string): Promise<Subscriber> {
  const s = w.active(id);
  const at = iso(w.clock.now());
  expect(await w.store.unsubscribe(s, at, recordFor(s, "withdrawn", at, w.ids.next(), "web"))).toBe(true);
  return s;
}

describe("retention cut-offs", () => {
  it("counts months on the calendar, capping the day at the month's end", () => {
    expect(monthsBefore(Date.parse("2026-12-02T03:00:00Z"), 13).toISOString()).toBe("2025-11-02T03:00:00.000Z");
    expect(monthsBefore(Date.parse("2026-03-31T00:00:00Z"), 1).toISOString()).toBe("2026-02-28T00:00:00.000Z");
    const c = retentionCutoffs(Date.parse("2026-12-02T00:00:00Z"), PERIODS);
    expect(c).toEqual({ unsubscribedBefore: "2026-11-02T00:00:00.000Z", deliveriesBeforeDay: "2025-11-02", campaignsBefore: "2026-09-03T00:00:00.000Z", auditBefore: "2024-12-02T00:00:00.000Z" });
  });

  it("gives one staff address one pseudonym that does not contain it", () => {
    const p = staffPseudonym(PEPPER, "Editor@Example.org");
    expect(p).toBe(staffPseudonym(PEPPER, "editor@example.org"));
    expect(p).toMatch(/^staff-[0-9a-f]{16}$/);
    expect(staffPseudonym("another-pepper-0123456789", "editor@example.org")).not.toBe(p);
  });
});

describe("the retention sweep", () => {
  it("drops a sign-up never confirmed only after its 7 days, with its consent records", async () => {
    const { w, sweep } = setup();
    const s = await pending(w, "p1");
    w.clock.advance(6 * DAY);
    expect((await sweep()).counts.pendingSignUps).toBe(0);
    expect(w.store.profiles.has("p1")).toBe(true);
    w.clock.advance(1 * DAY + 1000);
    expect((await sweep()).counts.pendingSignUps).toBe(1);
    expect(w.store.profiles.has("p1")).toBe(false);
    expect(w.store.addresses.has(s.addressHmac)).toBe(false);
    expect(w.store.records.get("p1")).toBeUndefined();
    expect((await sweep()).counts.pendingSignUps).toBe(0);
  });

  it("erases an unsubscribed person 30 days after the last unsubscribe, leaving the suppression HMAC and an anonymised record", async () => {
    const { w, sweep } = setup();
    const s = await unsubscribed(w, "u1");
    w.store.recordDelivery("u1", { campaign: "digest#weekly#2026-W48", batch: 1, kind: "digest", subject: "Hej", status: "sent", at: iso(w.clock.now()) });
    w.clock.advance(29 * DAY);
    expect((await sweep()).counts.unsubscribedErased).toBe(0);
    expect(w.store.profiles.get("u1")?.email).toBe("u1@example.org");
    w.clock.advance(1 * DAY + 1000);
    const report = await sweep();
    expect(report.counts.unsubscribedErased).toBe(1);
    expect(w.store.profiles.has("u1")).toBe(false);
    expect(w.store.addresses.has(s.addressHmac)).toBe(false);
    expect(w.store.suppressions.get(s.addressHmac)?.reason).toBe("erased");
    expect(w.store.records.get("u1")).toEqual([{ id: expect.any(String), subscriberId: "u1", at: iso(w.clock.now()), event: "erased" }]);
    expect(w.store.history.get("u1")).toBeUndefined();
    expect((await sweep()).counts.unsubscribedErased).toBe(0);
  });

  it("keeps someone who signed up again after unsubscribing", async () => {
    const { w, sweep } = setup();
    const s = await unsubscribed(w, "u2");
    w.clock.advance(20 * DAY);
    // Signed up again (the profile is pending now), and confirmed: active again.
    const again = { ...s, status: "pending" as const, expiresAt: Math.floor(w.clock.now() / 1000) + 7 * 24 * 3600 };
    await w.store.refreshPending(again, recordFor(again, "requested", iso(w.clock.now()), w.ids.next(), "web"));
    await w.store.activate(again, iso(w.clock.now()), recordFor(again, "confirmed", iso(w.clock.now()), w.ids.next(), "web"));
    w.clock.advance(40 * DAY);
    expect((await sweep()).counts.unsubscribedErased).toBe(0);
    expect(w.store.profiles.get("u2")?.status).toBe("active");
  });

  it("deletes delivery history older than 13 months and keeps the rest", async () => {
    const { w, sweep } = setup();
    w.active("d1");
    const record = (campaign: string, at: string) => ({ campaign, batch: 1, kind: "digest" as const, subject: "Hej", status: "sent" as const, at });
    w.store.recordDelivery("d1", record("digest#monthly#2025-10", "2025-10-06T06:00:00.000Z"));
    w.store.recordDelivery("d1", record("digest#monthly#2025-11", "2025-11-03T06:00:00.000Z"));
    w.clock.set("2026-12-02T03:00:00.000Z");
    expect((await sweep()).counts.deliveriesDeleted).toBe(1);
    expect([...w.store.history.get("d1")!.keys()]).toEqual(["digest#monthly#2025-11"]);
    expect((await sweep()).counts.deliveriesDeleted).toBe(0);
    w.clock.set("2026-12-04T03:00:00.000Z");
    expect((await sweep()).counts.deliveriesDeleted).toBe(1);
    expect(w.store.history.get("d1")!.size).toBe(0);
  });

  it("compacts a finished campaign's batches to counters after 90 days, and leaves one still sending alone", async () => {
    const { w, retention, sweep } = setup();
    const created = w.clock.now();
    for (const [key, state] of [["announcement#a1", "done"], ["announcement#a2", "paused"]] as const) {
      await w.outbox.openCampaign(key, "announcement", created);
      Object.assign(w.outbox.campaigns.get(key)!, { state, sent: 3, planned: 3, batches: 2, batchesDone: 2 });
      w.outbox.batches.set(
        key,
        new Map([1, 2].map((n) => [n, { campaign: key, batch: n, variant: "v", language: "sv" as const, recipients: [`s${n}`], status: "sent" as const, results: { [`s${n}`]: { kind: "sent" as const, messageId: "m" } }, attempts: 1 }])),
      );
    }
    await w.outbox.recordBundled(["announcement#a1"], "s9", "sv");
    w.clock.advance(89 * DAY);
    expect((await sweep()).counts.batchesCompacted).toBe(0);
    w.clock.advance(1 * DAY + 1000);
    expect((await sweep()).counts.batchesCompacted).toBe(2);
    const a1 = w.outbox.batches.get("announcement#a1")!;
    expect([...a1.values()].map((b) => b.recipients)).toEqual([[], []]);
    expect(w.outbox.bundled.has("announcement#a1")).toBe(false);
    expect(w.outbox.campaigns.get("announcement#a1")!.sent).toBe(3);
    expect([...w.outbox.batches.get("announcement#a2")!.values()].map((b) => b.recipients)).toEqual([["s1"], ["s2"]]);
    expect(retention.compactedCampaigns.has("announcement#a2")).toBe(false);
    expect((await sweep()).counts.batchesCompacted).toBe(0);
  });

  it("pseudonymises staff addresses in audit entries older than 2 years", async () => {
    const { w, audit, sweep } = setup();
    w.clock.set("2026-12-02T00:00:00.000Z");
    const entry = (id: string, at: string) => ({ id, at, actor: { sub: "staff-sub", email: "editor@example.org" }, action: "digest.run", targetId: "r", details: {} });
    await audit.append(entry("e1", "2024-11-30T10:00:00.000Z"));
    await audit.append(entry("e2", "2024-12-05T10:00:00.000Z"));
    const first = await sweep();
    expect(first.counts.auditPseudonymised).toBe(1);
    expect(audit.entries[0]!.actor).toEqual({ sub: "staff-sub", email: staffPseudonym(PEPPER, "editor@example.org") });
    expect(audit.entries[1]!.actor.email).toBe("editor@example.org");
    expect((await sweep()).counts.auditPseudonymised).toBe(0);
  });

  it("works in pages: a tiny page size gets through everything, and a page budget leaves the rest for the next run", async () => {
    const { w, sweep } = setup({ pageSize: 2, maxPages: 2 });
    for (let i = 0; i < 7; i++) await unsubscribed(w, `u${i}`);
    w.clock.advance(31 * DAY);
    const first = await sweep();
    expect(first.counts.unsubscribedErased).toBe(4);
    expect(first.more).toEqual(["unsubscribedErased"]);
    const second = await sweep();
    expect(second.counts.unsubscribedErased).toBe(3);
    expect(second.more).toEqual([]);
    expect([...w.store.profiles.values()].filter((p) => p.status === "unsubscribed")).toEqual([]);
    expect((await sweep()).counts).toEqual({ pendingSignUps: 0, unsubscribedErased: 0, deliveriesDeleted: 0, batchesCompacted: 0, auditPseudonymised: 0 });
  });

  it("saves the last sweep's counts for the statistics", async () => {
    const { w, retention, sweep } = setup();
    await pending(w, "p9");
    w.clock.advance(8 * DAY);
    const report = await sweep();
    expect(await retention.lastReport()).toEqual(report);
    expect(report).toMatchObject({ at: iso(w.clock.now()), counts: { pendingSignUps: 1 } });
  });
});

describe("the retention sweep's deadline", () => {
  it("takes no new page once the deadline has passed, and reports the work left", async () => {
    const w = world();
    const retention = new MemoryRetention(w.store, w.outbox, new MemoryAuditLog());
    for (let i = 0; i < 3; i++) await unsubscribed(w, `u${i}`);
    w.clock.advance(31 * DAY);
    const deps = { retention, subscribers: w.store, clock: w.clock, ids: w.ids, pseudonym: (a: string) => a, periods: { ...PERIODS, pageSize: 1 } };
    const report = await sweepRetention(deps, { deadlineMs: w.clock.now() });
    expect(report.counts.unsubscribedErased).toBe(0);
    expect(report.more).toContain("unsubscribedErased");
    expect((await sweepRetention(deps)).counts.unsubscribedErased).toBe(3);
  });
});
