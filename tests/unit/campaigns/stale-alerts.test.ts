import { describe, expect, it } from "vitest";
import { alertDeadline, deliverSendJob, planCampaign, sendBatch, type BatchSenderDeps, type StoredVariant } from "../../../packages/core/src/campaigns";
import type { TransactionalDeps } from "../../../packages/core/src/campaigns";
import type { BatchJob } from "../../../packages/core/src/shared/jobs";
import type { CampaignKind } from "../../../packages/core/src/shared/vocabulary";
import { world, type World } from "../../fakes";

const variant: StoredVariant = { subject: "New seminar", html: "<p>Hi</p><a href=\"{{unsubscribeUrl}}\">x</a>", text: "Hi {{preferencesUrl}}", language: "sv" };
const SIX_HOURS = 21_600_000;

function sender(w: World, over: Partial<BatchSenderDeps> = {}): BatchSenderDeps {
  return {
    outbox: w.outbox,
    store: w.store,
    mailer: w.mailer,
    pacer: w.pacer,
    clock: w.clock,
    tokenKeys: w.tokenKeys,
    publicUrl: "https://mail.example.org/",
    unsubscribeMailto: "unsubscribe@mail.example.org",
    replyTo: "Missions <info@mail.example.org>",
    owner: "sender-1",
    leaseMs: 300_000,
    maxPacingWaitMs: 10_000,
    mode: "bulk",
    backoff: { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => undefined, random: () => 0 },
    alertMaxDeliveryMs: SIX_HOURS,
    configurationSet: "plain",
    trackingConfigurationSet: "plain-tracking",
    alertConfigurationSet: "alerts",
    alertTrackingConfigurationSet: "alerts-tracking",
    ...over,
  };
}

async function planned(w: World, key: string, kind: CampaignKind, subscriberIds: string[]): Promise<BatchJob[]> {
  await planCampaign({ outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "planner" }, { key, kind }, async () => ({
    recipients: subscriberIds.map((subscriberId) => ({ subscriberId, variant: "v1" })),
    variants: new Map([["v1", variant]]),
    skipped: 0,
  }));
  return w.mailQueue.drain().filter((j): j is BatchJob => j.kind === "batch");
}

describe("stale alerts", () => {
  it("sends an alert batch up to its deadline and drops one past it, skipped as expired and counted on the campaign", async () => {
    const w = world();
    for (const id of ["a", "b", "c"]) w.active(id);
    const [first] = await planned(w, "alert#item-1#1", "alert", ["a"]);
    const [late] = await planned(w, "alert#item-2#1", "alert", ["b", "c"]);
    w.clock.advance(SIX_HOURS); // exactly at the deadline: still sent
    expect((await sendBatch(sender(w), first!)).outcome).toBe("sent");
    w.clock.advance(1); // one millisecond past it: dropped
    expect(await sendBatch(sender(w), late!)).toEqual({ outcome: "expired", expired: 2 });
    expect(w.mailer.recipients).toEqual(["a@example.org"]);
    expect(w.outbox.batch("alert#item-2#1", 1)).toMatchObject({
      status: "sent",
      results: { b: { kind: "skipped", reason: "expired" }, c: { kind: "skipped", reason: "expired" } },
    });
    expect(await w.outbox.getCampaign("alert#item-2#1")).toMatchObject({ sent: 0, skipped: 2, expired: 2, state: "done" });
    expect(await w.store.deliveries("b")).toEqual([]);
  });

  it("never re-queues a dropped batch: a redelivered pointer is a duplicate and the sweeper finds nothing due", async () => {
    const w = world();
    w.active("a");
    const [job] = await planned(w, "alert-bundle#a#1", "alert-bundle", ["a"]);
    w.clock.advance(SIX_HOURS + 60_000);
    const deps = { batch: sender(w), transactional: {} as TransactionalDeps, sendQueue: w.mailQueue };
    expect((await deliverSendJob(deps, job!, "owner-1")).kind).toBe("batch");
    expect(w.mailQueue.jobs).toEqual([]);
    expect(await deliverSendJob(deps, job!, "owner-2")).toEqual({ kind: "batch", result: { outcome: "duplicate" } });
    w.clock.advance(24 * 3600_000);
    expect(await w.outbox.dueBatches(w.clock.now(), 10)).toEqual([]);
    expect(w.mailer.recipients).toEqual([]);
  });

  it("keeps what a throttled alert batch already sent and drops only the rest once the deadline passes", async () => {
    const w = world();
    for (const id of ["a", "b"]) w.active(id);
    const [job] = await planned(w, "alert#item-3#1", "alert", ["a", "b"]);
    const lease = await w.outbox.leaseBatch("alert#item-3#1", 1, "earlier", w.clock.now(), w.clock.now() + 1000);
    expect("leased" in lease).toBe(true);
    await w.outbox.saveProgress("alert#item-3#1", 1, "earlier", { a: { kind: "sent", messageId: "m-a" } }, w.clock.now());
    w.clock.advance(SIX_HOURS + 1);
    expect(await sendBatch(sender(w), job!)).toEqual({ outcome: "expired", expired: 1 });
    expect(w.outbox.batch("alert#item-3#1", 1)!.results).toEqual({ a: { kind: "sent", messageId: "m-a" }, b: { kind: "skipped", reason: "expired" } });
    expect(await w.outbox.getCampaign("alert#item-3#1")).toMatchObject({ sent: 1, skipped: 1, expired: 1 });
  });

  it("holds digests and announcements to no deadline, and has none without a configured maximum", async () => {
    const w = world();
    w.active("a");
    const [job] = await planned(w, "digest#weekly#2026-W49", "digest", ["a"]);
    w.clock.advance(3 * SIX_HOURS);
    expect((await sendBatch(sender(w), job!)).outcome).toBe("sent");
    expect(alertDeadline({ alertMaxDeliveryMs: SIX_HOURS }, { kind: "announcement", createdAt: "2026-12-01T00:00:00.000Z" })).toBeUndefined();
    expect(alertDeadline({}, { kind: "alert", createdAt: "2026-12-01T00:00:00.000Z" })).toBeUndefined();
    expect(alertDeadline({ alertMaxDeliveryMs: SIX_HOURS }, { kind: "alert", createdAt: "2026-12-01T00:00:00.000Z" })).toBe(Date.parse("2026-12-01T06:00:00.000Z"));
  });

  it("sends alerts through the alerts' configuration sets, tracking ones only for those who opted in", async () => {
    const w = world();
    w.active("a");
    w.active("t", { tracking: true });
    const [alert] = await planned(w, "alert#item-4#1", "alert", ["a", "t"]);
    const [digest] = await planned(w, "digest#weekly#2026-W50", "digest", ["a"]);
    await sendBatch(sender(w), alert!);
    await sendBatch(sender(w), digest!);
    expect(w.mailer.bulkCalls.map((c) => c.configurationSet).sort()).toEqual(["alerts", "alerts-tracking", "plain"]);
  });
});
