import { describe, expect, it } from "vitest";
import { planCampaign, sendBatch, type BatchSenderDeps, type StoredVariant } from "../../../packages/core/src/campaigns";
import { unsubscribe } from "../../../packages/core/src/subscription";
import type { BatchJob } from "../../../packages/core/src/shared/jobs";
import { world, type World } from "../../fakes";

const variant: StoredVariant = { subject: "News", html: "<p>Hi</p><a href=\"{{unsubscribeUrl}}\">Unsubscribe</a>", text: "Hi {{preferencesUrl}}", language: "sv" };
const noWait = { attempts: 3, baseMs: 1, capMs: 1, sleep: async () => undefined, random: () => 0 };

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
    backoff: noWait,
    stats: w.stats,
    ...over,
  };
}

/** Plans a campaign for the given subscribers (one variant) and answers its batch jobs. */
async function planned(w: World, key: string, subscriberIds: string[]): Promise<BatchJob[]> {
  const result = await planCampaign({ outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "planner" }, { key, kind: "announcement" }, async () => ({
    recipients: subscriberIds.map((subscriberId) => ({ subscriberId, variant: "v1" })),
    variants: new Map([["v1", variant]]),
    skipped: 0,
  }));
  expect(result.status).toBe("planned");
  return w.mailQueue.drain().filter((j): j is BatchJob => j.kind === "batch");
}

describe("planning", () => {
  it("freezes batches of at most 50 and a re-run plans only new recipients", async () => {
    const w = world();
    const ids = Array.from({ length: 120 }, (_, i) => `s${String(i).padStart(3, "0")}`);
    const jobs = await planned(w, "announcement#A", ids.slice(0, 110));
    expect(jobs.map((j) => j.batch)).toEqual([1, 2, 3]);
    expect(w.outbox.batch("announcement#A", 3)!.recipients).toHaveLength(10);
    const again = await planned(w, "announcement#A", ids);
    expect(again).toEqual([{ kind: "batch", campaign: "announcement#A", batch: 4 }]);
    expect(w.outbox.batch("announcement#A", 4)!.recipients).toEqual(ids.slice(110));
    expect((await w.outbox.getCampaign("announcement#A"))!).toMatchObject({ planned: 120, batches: 4, state: "sending" });
  });

  it("freezes, counts and enqueues batches a hundred at a time across variants, each variant stored before its batches go out", async () => {
    const w = world();
    const variants = new Map(Array.from({ length: 6 }, (_, v) => [`v${v}`, { ...variant, subject: `V${v}` }] as const));
    const recipients = Array.from({ length: 6_000 }, (_, i) => ({ subscriberId: `s${i}`, variant: `v${Math.floor(i / 1_000)}` }));
    const result = await planCampaign({ outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "planner" }, { key: "digest#weekly#2026-W49", kind: "digest" }, async () => ({ recipients, variants, skipped: 0 }));
    expect(result).toEqual({ status: "planned", planned: 6_000, batches: 120, skipped: 0 });
    // Five variants of 20 batches fill the first hundred; the sixth goes out at the end.
    expect(w.outbox.freezeCalls).toEqual([100, 20]);
    const jobs = w.mailQueue.drain().filter((j): j is BatchJob => j.kind === "batch");
    expect(jobs.map((j) => j.batch)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    for (const j of jobs) expect(await w.outbox.getVariant(j.campaign, w.outbox.batch(j.campaign, j.batch)!.variant)).toBeDefined();
    expect(w.outbox.batch("digest#weekly#2026-W49", 120)!.recipients).toEqual(Array.from({ length: 50 }, (_, i) => `s${5_950 + i}`));
    expect(await w.outbox.getCampaign("digest#weekly#2026-W49")).toMatchObject({ planned: 6_000, batches: 120 });
  });

  it("answers busy while another planner holds the lease, and plans nothing for a cancelled campaign", async () => {
    const w = world();
    await w.outbox.openCampaign("announcement#B", "announcement", w.clock.now());
    await w.outbox.takePlanLease("announcement#B", "other", w.clock.now(), w.clock.now() + 60_000);
    const deps = { outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "me" };
    const build = async () => ({ recipients: [{ subscriberId: "s1", variant: "v1" }], variants: new Map([["v1", variant]]), skipped: 0 });
    expect((await planCampaign(deps, { key: "announcement#B", kind: "announcement" }, build)).status).toBe("busy");
    await w.outbox.cancelCampaign("announcement#B", "now");
    expect((await planCampaign(deps, { key: "announcement#B", kind: "announcement" }, build)).status).toBe("cancelled");
    expect(w.mailQueue.jobs).toEqual([]);
  });
});

describe("sending a batch", () => {
  it("re-reads every recipient at send time: unsubscribed, suppressed and erased people are skipped with their reason", async () => {
    const w = world();
    for (const id of ["a", "b", "c", "d"]) w.active(id);
    const [job] = await planned(w, "announcement#C", ["a", "b", "c", "d"]);
    await unsubscribe({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys }, w.token("manage", "b"));
    await w.store.suppress(w.hmac("c@example.org"), "hard-bounce", "2026-12-01T00:00:00.000Z");
    w.store.profiles.delete("d");
    const outcome = await sendBatch(sender(w), job!);
    expect(outcome).toEqual({ outcome: "sent", sent: 1, skipped: 3, failed: 0 });
    expect(w.mailer.recipients).toEqual(["a@example.org"]);
    expect(w.outbox.batch("announcement#C", 1)!.results).toEqual({
      a: { kind: "sent", messageId: "msg-1" },
      b: { kind: "skipped", reason: "unsubscribed" },
      c: { kind: "skipped", reason: "suppressed" },
      d: { kind: "skipped", reason: "gone" },
    });
    expect(await w.store.deliveries("a")).toEqual([expect.objectContaining({ campaign: "announcement#C", status: "sent", messageId: "msg-1", subject: "News" })]);
    expect(await w.store.deliveries("b")).toEqual([]);
    expect((await w.outbox.getCampaign("announcement#C"))!).toMatchObject({ sent: 1, skipped: 3, state: "done" });
    expect(w.stats.sum("food-system", "sent")).toBe(1);
  });

  it("batches of one variant sent at once read the variant once between them", async () => {
    const w = world();
    const ids = Array.from({ length: 120 }, (_, i) => `v${i}`);
    for (const id of ids) w.active(id);
    const jobs = await planned(w, "announcement#V", ids);
    expect(jobs).toHaveLength(3);
    // A read that takes a while, as a real one does: the other batches reach it while it is in flight.
    const read = w.outbox.getVariant.bind(w.outbox);
    w.outbox.getVariant = async (key, id) => {
      await new Promise((r) => setTimeout(r, 5));
      return read(key, id);
    };
    const results = await Promise.all(jobs.map((j) => sendBatch(sender(w), j)));
    expect(results.map((r) => r.outcome)).toEqual(["sent", "sent", "sent"]);
    expect(w.outbox.variantReads.get("announcement#V|v1")).toBe(1);
  });

  it("every email carries one-click unsubscribe headers and the campaign's tags", async () => {
    const w = world();
    w.active("a");
    const [job] = await planned(w, "announcement#D", ["a"]);
    await sendBatch(sender(w), job!);
    const [entry] = w.mailer.bulkCalls[0]!.entries;
    expect(entry!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(entry!.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/mail\.example\.org\/unsubscribe\?token=[^>]+&c=[A-Za-z0-9_-]+>, <mailto:unsubscribe@mail\.example\.org\?subject=unsubscribe%20/);
    expect(w.mailer.bulkCalls[0]!.tags).toMatchObject({ batch: "1", kind: "announcement" });
  });

  it("sends exactly once per campaign and recipient: a redelivered pointer is a duplicate, a concurrent one in progress", async () => {
    const w = world();
    w.active("a");
    const [job] = await planned(w, "announcement#E", ["a"]);
    const lease = await w.outbox.leaseBatch("announcement#E", 1, "other", w.clock.now(), w.clock.now() + 60_000);
    expect("leased" in lease).toBe(true);
    expect(await sendBatch(sender(w), job!)).toEqual({ outcome: "in-progress" });
    w.clock.advance(61_000); // the other sender's lease expired: it is gone
    expect((await sendBatch(sender(w), job!)).outcome).toBe("sent");
    expect(await sendBatch(sender(w), job!)).toEqual({ outcome: "duplicate" });
    expect(await sendBatch(sender(w), { ...job!, batch: 9 })).toEqual({ outcome: "missing" });
    expect(w.mailer.recipients).toEqual(["a@example.org"]);
  });

  it("holds a paused campaign's batch for later and skips a cancelled one's recipients", async () => {
    const w = world();
    w.active("a");
    const [job] = await planned(w, "announcement#F", ["a"]);
    await w.outbox.pauseCampaign("announcement#F", { code: "manual", message: "Paused", at: "now" });
    expect(await sendBatch(sender(w), job!)).toEqual({ outcome: "paused" });
    expect((await w.outbox.dueBatches(w.clock.now() + 23 * 3600_000, 10))).toEqual([]);
    await w.outbox.cancelCampaign("announcement#F", "now");
    expect(await sendBatch(sender(w), job!)).toEqual({ outcome: "sent", sent: 0, skipped: 1, failed: 0 });
    expect(w.outbox.batch("announcement#F", 1)!.results).toEqual({ a: { kind: "skipped", reason: "cancelled" } });
    expect(w.mailer.recipients).toEqual([]);
  });

  it("retries only throttled entries, keeps a failed entry's reason, and retries transient failures one by one", async () => {
    const w = world();
    for (const id of ["a", "b", "c", "d"]) w.active(id);
    const [job] = await planned(w, "announcement#G", ["a", "b", "c", "d"]);
    w.mailer.bulkStatuses.push(["SUCCESS", "ACCOUNT_THROTTLED", "MESSAGE_REJECTED", "TRANSIENT_FAILURE"]);
    const outcome = await sendBatch(sender(w), job!);
    expect(outcome).toEqual({ outcome: "sent", sent: 3, skipped: 0, failed: 1 });
    expect(w.mailer.bulkCalls.map((c) => c.entries.map((e) => e.to))).toEqual([["a@example.org", "b@example.org", "c@example.org", "d@example.org"], ["b@example.org"]]);
    expect(w.mailer.sent.map((e) => e.to)).toEqual(["d@example.org"]);
    expect(w.outbox.batch("announcement#G", 1)!.results.c).toEqual({ kind: "failed", reason: "MESSAGE_REJECTED" });
    expect(await w.store.deliveries("c")).toEqual([expect.objectContaining({ status: "failed", reason: "MESSAGE_REJECTED" })]);
  });

  it("keeps what was sent and releases the batch when throttling outlasts the backoff, then finishes without sending twice", async () => {
    const w = world();
    for (const id of ["a", "b"]) w.active(id);
    const [job] = await planned(w, "announcement#H", ["a", "b"]);
    w.mailer.bulkStatuses.push(["SUCCESS", "ACCOUNT_THROTTLED"], ["ACCOUNT_THROTTLED"], ["ACCOUNT_THROTTLED"]);
    const first = await sendBatch(sender(w), job!);
    expect(first).toMatchObject({ outcome: "retry" });
    expect(w.outbox.batch("announcement#H", 1)!.results).toEqual({ a: { kind: "sent", messageId: "msg-1" } });
    const second = await sendBatch(sender(w), job!);
    expect(second).toEqual({ outcome: "sent", sent: 2, skipped: 0, failed: 0 });
    expect(w.mailer.bulkCalls.at(-1)!.entries.map((e) => e.to)).toEqual(["b@example.org"]);
  });

  it("releases the batch when the pacer has no room, sending nothing", async () => {
    const w = world();
    w.active("a");
    const [job] = await planned(w, "announcement#I", ["a"]);
    w.pacer.retryAfterMs = 20_000;
    expect(await sendBatch(sender(w), job!)).toEqual({ outcome: "retry", delaySeconds: 20, reason: "send rate reached" });
    expect(w.mailer.recipients).toEqual([]);
    expect(await w.outbox.dueBatches(w.clock.now() + 81_000, 10)).toEqual([{ campaign: "announcement#I", batch: 1 }]);
  });

  it("single mode personalises each email and sends tracking subscribers through the tracking configuration set", async () => {
    const w = world();
    w.active("a");
    w.active("b", { tracking: true });
    const [job] = await planned(w, "announcement#J", ["a", "b"]);
    await sendBatch(sender(w, { mode: "single", configurationSet: "plain", trackingConfigurationSet: "tracked" }), job!);
    expect(w.mailer.sent.map((e) => [e.to, e.configurationSet])).toEqual([["a@example.org", "plain"], ["b@example.org", "tracked"]]);
    expect(w.mailer.sent[0]!.text).toMatch(/^Hi https:\/\/mail\.example\.org\/preferences\?token=/);
  });
});
