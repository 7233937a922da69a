import { describe, expect, it } from "vitest";
import { APPROVAL_WAIT_WARNING_MS, BOUNCE_THRESHOLD, COMPLAINT_THRESHOLD, rateStatus, serviceHealth, worstStatus, type HealthDeps, type HealthSettings } from "../../packages/core/src/health";
import type { Announcement } from "../../packages/core/src/announcements";
import { statsDay } from "../../packages/core/src/stats";
import { applyFeedback, type SesEventDetail } from "../../packages/core/src/feedback";
import { planCampaign, sendBatch, type BatchSenderDeps, type StoredVariant } from "../../packages/core/src/campaigns";
import type { BatchJob } from "../../packages/core/src/shared/jobs";
import type { DigestRun } from "../../packages/core/src/digest";
import { FakeClock, MemoryAnnouncementStore, MemoryDigestRuns, MemoryFeedbackStore, MemoryMissionStats, MemoryOutbox, MemoryServiceTotals, MemorySubscriberStore, PEPPER, RecordingDeadLetters, world } from "../fakes";

const DAY = 86_400_000;
const SETTINGS: HealthSettings = { autoPause: { complaintRate: 0.002, bounceRate: 0.04 }, approvalThreshold: 100 };

function setup() {
  const clock = new FakeClock(Date.parse("2026-12-01T09:00:00Z"));
  const totals = new MemoryServiceTotals();
  const missionStats = new MemoryMissionStats();
  const runs = new MemoryDigestRuns();
  const outbox = new MemoryOutbox(new MemorySubscriberStore([]));
  const announcements = new MemoryAnnouncementStore();
  const queues = { send: new RecordingDeadLetters(), signUp: new RecordingDeadLetters(), plan: new RecordingDeadLetters(), content: new RecordingDeadLetters(), feedback: new RecordingDeadLetters() };
  const deps: HealthDeps = { totals, missionStats, runs: { runs, outbox }, announcements, deadLetters: queues, clock };
  /** Counts on the Stockholm day `daysAgo` days before the clock's now. */
  const on = (daysAgo: number, counts: Parameters<MemoryServiceTotals["add"]>[1]) => totals.add(statsDay(clock.now() - daysAgo * DAY), counts, "k");
  return { clock, totals, missionStats, runs, outbox, announcements, queues, deps, on, health: () => serviceHealth(deps, SETTINGS) };
}

const draft = (id: string, at: string, missions: string[], extra: Partial<Announcement> = {}): Announcement => ({
  id,
  state: "draft",
  title: { sv: `Utskick ${id}` },
  body: { sv: "Text" },
  missions,
  createdBy: { sub: "author", email: "author@example.org" },
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...extra,
});

describe("thresholds", () => {
  it("a complaint rate is ok below 0.1%, a warning from 0.1% and over from 0.3% (Gmail's and Yahoo's)", () => {
    expect(rateStatus(null, COMPLAINT_THRESHOLD)).toBe("ok");
    expect(rateStatus(0.00099, COMPLAINT_THRESHOLD)).toBe("ok");
    expect(rateStatus(0.001, COMPLAINT_THRESHOLD)).toBe("warning");
    expect(rateStatus(0.00299, COMPLAINT_THRESHOLD)).toBe("warning");
    expect(rateStatus(0.003, COMPLAINT_THRESHOLD)).toBe("over");
  });

  it("a bounce rate is ok below 2%, a warning from 2% and over from SES's review at 5%", () => {
    expect(rateStatus(0.0199, BOUNCE_THRESHOLD)).toBe("ok");
    expect(rateStatus(0.02, BOUNCE_THRESHOLD)).toBe("warning");
    expect(rateStatus(0.05, BOUNCE_THRESHOLD)).toBe("over");
    expect(worstStatus([])).toBe("ok");
    expect(worstStatus(["ok", "over", "warning"])).toBe("over");
  });
});

describe("the service's health", () => {
  it("measures 7 and 30 Stockholm days ending today, and moves with the clock", async () => {
    const t = setup();
    await t.on(0, { sent: 1000, complained: 1 });
    await t.on(6, { sent: 1000, bounced: 30 });
    await t.on(7, { sent: 2000, complained: 6, bounced: 10 });
    await t.on(29, { sent: 1000, suppressedHardBounce: 2, suppressedComplaint: 1 });
    await t.on(30, { sent: 5000, complained: 100 });

    let h = await t.health();
    const [week, month] = h.windows;
    expect(week).toMatchObject({ days: 7, from: "2026-11-25", to: "2026-12-01", sent: 2000, complaints: { count: 1, rate: 0.0005, status: "ok" }, bounces: { count: 30, rate: 0.015, status: "ok" }, status: "ok" });
    expect(month).toMatchObject({ days: 30, from: "2026-11-02", sent: 5000, complaints: { count: 7, status: "warning" }, bounces: { count: 40, rate: 0.008, status: "ok" }, status: "warning" });
    expect(month!.suppressions).toEqual({ hardBounce: 2, softBounces: 0, complaint: 1, total: 3 });
    expect(h.daily).toHaveLength(30);
    expect(h.daily.at(-1)).toEqual({ day: "2026-12-01", sent: 1000, complaints: 1, bounces: 0, complaintRate: 0.001, bounceRate: 0 });
    expect(h.daily[0]).toMatchObject({ day: "2026-11-02", sent: 1000, complaintRate: 0 });
    expect(h.daily[1]).toMatchObject({ sent: 0, complaintRate: null, bounceRate: null });

    // A day later the day with 30 bounces leaves the week (one complaint in 1,000 is now the week's
    // whole rate, at the aim: a warning), and the day with the suppressions leaves the month.
    t.clock.advance(DAY);
    h = await t.health();
    expect(h.windows[0]).toMatchObject({ from: "2026-11-26", to: "2026-12-02", sent: 1000, complaints: { count: 1, rate: 0.001, status: "warning" }, bounces: { count: 0, rate: 0 }, status: "warning" });
    expect(h.windows[1]).toMatchObject({ from: "2026-11-03", sent: 4000, complaints: { count: 7 }, bounces: { count: 40 } });
    expect(h.windows[1]!.suppressions.total).toBe(0);

    // A month on, nothing is left in either window: no mail sent is no rate, and ok.
    t.clock.advance(31 * DAY);
    h = await t.health();
    expect(h.windows.map((w) => [w.sent, w.complaints.rate, w.bounces.rate, w.status])).toEqual([
      [0, null, null, "ok"],
      [0, null, null, "ok"],
    ]);
    expect(h.status).toBe("ok");
  });

  it("gives each rate its status and says when it is above the automatic pause", async () => {
    const t = setup();
    await t.on(1, { sent: 1000, complained: 3, bounced: 45 });
    const h = await t.health();
    expect(h.windows[0]!.complaints).toEqual({ count: 3, rate: 0.003, status: "over", overAutoPause: true });
    expect(h.windows[0]!.bounces).toEqual({ count: 45, rate: 0.045, status: "warning", overAutoPause: true });
    expect(h.windows[0]!.status).toBe("over");
    expect(h.status).toBe("over");
    expect(h.thresholds).toEqual({
      complaints: { aim: 0.001, limit: 0.003, autoPause: 0.002 },
      bounces: { aim: 0.02, limit: 0.05, autoPause: 0.04, sesSuspension: 0.1 },
      approval: 100,
    });

    const calm = setup();
    await calm.on(1, { sent: 1000, complained: 2, bounced: 40 });
    const c = await calm.health();
    // At the auto-pause rate, not above it: a send would not pause.
    expect(c.windows[0]!.complaints).toMatchObject({ status: "warning", overAutoPause: false });
    expect(c.windows[0]!.bounces).toMatchObject({ status: "warning", overAutoPause: false });
  });

  it("reads each dead-letter queue: empty is ok, any message is over, an unreadable queue a warning", async () => {
    const t = setup();
    await t.queues.plan.put("{}", "poison");
    await t.queues.plan.put("{}", "poison again");
    t.deps.deadLetters.content = { deadLetterCount: () => Promise.reject(new Error("AccessDenied")) };
    const h = await t.health();
    expect(h.deadLetters).toEqual([
      { queue: "send", messages: 0, status: "ok" },
      { queue: "signUp", messages: 0, status: "ok" },
      { queue: "plan", messages: 2, status: "over" },
      { queue: "content", messages: null, status: "warning", error: "AccessDenied" },
      { queue: "feedback", messages: 0, status: "ok" },
    ]);
    expect(h.status).toBe("over");
  });

  it("reads the sign-up dead-letter queue as the fifth: a failed sign-up alone makes the whole over", async () => {
    const t = setup();
    expect((await t.health()).deadLetters.map((d) => d.queue)).toEqual(["send", "signUp", "plan", "content", "feedback"]);
    expect((await t.health()).status).toBe("ok");
    for (let i = 0; i < 3; i++) await t.queues.signUp.put(`{"kind":"sign-up","requestId":"r${i}"}`, "decision failed five times");
    const h = await t.health();
    expect(h.deadLetters.find((d) => d.queue === "signUp")).toEqual({ queue: "signUp", messages: 3, status: "over" });
    expect(h.deadLetters.filter((d) => d.queue !== "signUp").every((d) => d.messages === 0 && d.status === "ok")).toBe(true);
    expect(h.status).toBe("over");
    // Read from its own port: an unreadable sign-up queue is a warning of its own, the others unaffected.
    t.deps.deadLetters.signUp = { deadLetterCount: () => Promise.reject(new Error("AccessDenied on SignUpDeadLetterQueue")) };
    const unreadable = await t.health();
    expect(unreadable.deadLetters.find((d) => d.queue === "signUp")).toEqual({ queue: "signUp", messages: null, status: "warning", error: "AccessDenied on SignUpDeadLetterQueue" });
    expect(unreadable.status).toBe("warning");
  });

  it("lists the latest five digest runs with their outcome: failed is over, paused a warning", async () => {
    const t = setup();
    const run = (i: number, state: DigestRun["state"], extra: Partial<DigestRun> = {}): DigestRun => ({
      runId: `run-${i}`,
      cadence: "weekly",
      period: `2026-W4${i}`,
      campaign: `digest#weekly#2026-W4${i}`,
      state,
      planned: 0,
      empty: 0,
      createdAt: `2026-11-0${i}T07:00:00.000Z`,
      ...extra,
    });
    for (let i = 1; i <= 6; i++) await t.runs.putRun(run(i, i === 6 ? "failed" : "planned", i === 6 ? { error: "no content store" } : {}));
    await t.outbox.openCampaign("digest#weekly#2026-W45", "digest", t.clock.now());
    await t.outbox.pauseCampaign("digest#weekly#2026-W45", { code: "manual", message: "paused", at: "2026-11-05T08:00:00Z" });
    const h = await t.health();
    expect(h.digestRuns.map((r) => [r.runId, r.state, r.status])).toEqual([
      ["run-6", "failed", "over"],
      ["run-5", "paused", "warning"],
      ["run-4", "sending", "ok"],
      ["run-3", "sending", "ok"],
      ["run-2", "sending", "ok"],
    ]);
    expect(h.digestRuns[0]!.error).toBe("no content store");
  });

  it("lists drafts waiting for an approval, by their missions' subscribers, and warns after a day", async () => {
    const t = setup();
    await t.missionStats.add("food-system", "2026-11-01", {}, 80);
    await t.missionStats.add("mobility", "2026-11-01", {}, 30);
    const at = new Date(t.clock.now() - 3600_000).toISOString();
    await t.announcements.createAnnouncement(draft("A1", at, ["food-system", "mobility"]));
    await t.announcements.createAnnouncement(draft("A2", at, ["food-system"])); // 80: no approval needed
    await t.announcements.createAnnouncement(draft("A3", at, ["food-system", "mobility"], { approval: { by: { sub: "p2" }, at, version: 1 } }));
    await t.announcements.createAnnouncement(draft("A4", at, ["food-system", "mobility"], { refusal: { by: { sub: "p2" }, at, reason: "no" } }));
    await t.announcements.createAnnouncement(draft("A5", at, ["food-system", "mobility"], { state: "sending" }));

    let h = await t.health();
    expect(h.approvals).toEqual({
      waiting: [{ id: "A1", title: "Utskick A1", missions: ["food-system", "mobility"], author: "author@example.org", waitingSince: at, audienceEstimate: 110, status: "ok" }],
      status: "ok",
    });
    t.clock.advance(APPROVAL_WAIT_WARNING_MS);
    h = await t.health();
    expect(h.approvals.status).toBe("warning");
    expect(h.status).toBe("warning");
  });
});

describe("the daily totals behind it", () => {
  const complaint = (eventTags: Record<string, string[]>): SesEventDetail =>
    ({ eventType: "Complaint", mail: { messageId: "m1", tags: eventTags }, complaint: { complainedRecipients: [{ emailAddress: "a@example.org" }] } }) as SesEventDetail;
  const bounce = (type: "Permanent" | "Transient"): SesEventDetail =>
    ({ eventType: "Bounce", mail: { messageId: "m2", tags: {} }, bounce: { bounceType: type, bouncedRecipients: [{ emailAddress: "b@example.org" }] } }) as SesEventDetail;

  it("feedback counts each bounce and complaint once, with the suppression it made, on its Stockholm day", async () => {
    const w = world();
    const totals = new MemoryServiceTotals();
    const deps = { store: w.store, feedback: new MemoryFeedbackStore(), clock: w.clock, ids: w.ids, addressPepper: PEPPER, totals };
    w.active("a");
    await applyFeedback(deps, "ev-c", complaint({}));
    await applyFeedback(deps, "ev-c", complaint({})); // redelivered
    await applyFeedback(deps, "ev-h", bounce("Permanent"));
    await applyFeedback(deps, "ev-s", bounce("Transient"));
    expect(Object.fromEntries(totals.days)).toEqual({
      [statsDay(w.clock.now())]: { complained: 1, suppressedComplaint: 1, bounced: 1, suppressedHardBounce: 1, softBounced: 1 },
    });
  });

  it("the sender counts the emails of a finished batch once", async () => {
    const w = world();
    const totals = new MemoryServiceTotals();
    for (const id of ["a", "b", "c"]) w.active(id);
    const key = "announcement#01JHEALTH";
    const variant: StoredVariant = { subject: "S", html: "<p>Hi</p>", text: "Hi", language: "sv" };
    await planCampaign({ outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "planner" }, { key, kind: "announcement" }, async () => ({
      recipients: ["a", "b", "c"].map((subscriberId) => ({ subscriberId, variant: "v1" })),
      variants: new Map([["v1", variant]]),
      skipped: 0,
    }));
    const [job] = w.mailQueue.drain().filter((j): j is BatchJob => j.kind === "batch");
    const deps: BatchSenderDeps = { outbox: w.outbox, store: w.store, mailer: w.mailer, pacer: w.pacer, clock: w.clock, tokenKeys: w.tokenKeys, publicUrl: "https://example.org", unsubscribeMailto: "u@example.org", replyTo: "r@example.org", owner: "t", leaseMs: 60_000, maxPacingWaitMs: 1000, mode: "bulk", totals };
    expect(await sendBatch(deps, job!)).toMatchObject({ outcome: "sent", sent: 3 });
    expect(await sendBatch(deps, job!)).toMatchObject({ outcome: "duplicate" });
    expect(totals.days.get(statsDay(w.clock.now()))).toEqual({ sent: 3 });
  });
});
