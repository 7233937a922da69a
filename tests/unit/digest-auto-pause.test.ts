import { describe, expect, it } from "vitest";
import { autoPauseAndRecord, type AutoPauseSettings } from "../../packages/core/src/announcements";
import { planCampaign, sendBatch, type BatchSenderDeps, type StoredVariant } from "../../packages/core/src/campaigns";
import { cancelDigestRun, getRunStatus, resumeDigestRun, type RunControlDeps } from "../../packages/core/src/digest";
import { recordSesFeedback, type SesEventDetail } from "../../packages/core/src/feedback";
import { campaignTag } from "../../packages/core/src/shared/campaign-tags";
import { AppError } from "../../packages/core/src/shared/errors";
import type { BatchJob } from "../../packages/core/src/shared/jobs";
import type { CampaignKind } from "../../packages/core/src/shared/vocabulary";
import { staffRoleOf } from "../../packages/functions/src/routes";
import { MemoryAuditLog, MemoryDigestRuns, MemoryFeedbackStore, PEPPER, world, type World } from "../fakes";

const DIGEST = "digest#weekly#2026-W49";
const publisher = { sub: "pub-1", email: "publisher@example.org", groups: ["staff", "publisher"] };
const variant = (subject: string): StoredVariant => ({ subject, html: '<p>Hi</p><a href="{{unsubscribeUrl}}">x</a>', text: "Hi {{preferencesUrl}}", language: "sv" });
const SIX_HOURS = 6 * 3600_000;

function setup(settings: AutoPauseSettings = { minSample: 3, complaintRate: 0.001, bounceRate: 0.05 }) {
  const w = world();
  const runs = new MemoryDigestRuns();
  const audit = new MemoryAuditLog();
  const feedback = new MemoryFeedbackStore((campaign, counter) => {
    if (counter === "bounced" || counter === "complained" || counter === "delivered" || counter === "unsubscribed") w.outbox.count(campaign, counter);
  });
  const feedbackDeps = {
    store: w.store,
    feedback,
    clock: w.clock,
    ids: w.ids,
    addressPepper: PEPPER,
    onHarmful: (campaign: string) => autoPauseAndRecord({ campaigns: w.outbox, clock: w.clock, audit, ids: w.ids }, campaign, settings),
  };
  const control: RunControlDeps = { runs, campaigns: w.outbox, outbox: w.outbox, sendQueue: w.mailQueue, audit, clock: w.clock, ids: w.ids };
  const sender: BatchSenderDeps = {
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
  };
  return { w, runs, audit, feedback, feedbackDeps, control, sender };
}

/** Plans a campaign with one batch per group (each group its own variant), and answers the batch pointers it enqueued. */
async function plan(w: World, key: string, kind: CampaignKind, groups: string[][]): Promise<BatchJob[]> {
  for (const group of groups) for (const id of group) w.active(id, { cadence: kind === "digest" ? "weekly" : "immediate" });
  await planCampaign({ outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "planner" }, { key, kind }, async () => ({
    recipients: groups.flatMap((group, i) => group.map((subscriberId) => ({ subscriberId, variant: `v${i + 1}` }))),
    variants: new Map(groups.map((_, i) => [`v${i + 1}`, variant(`Subject ${i + 1}`)])),
    skipped: 0,
  }));
  return w.mailQueue.drain().filter((j): j is BatchJob => j.kind === "batch");
}

/** A digest run of `DIGEST` with two batches: a, b, c and then d, e. */
async function digestRun(s: ReturnType<typeof setup>) {
  const jobs = await plan(s.w, DIGEST, "digest", [["a", "b", "c"], ["d", "e"]]);
  await s.runs.putRun({ runId: "run-1", cadence: "weekly", period: "2026-W49", campaign: DIGEST, state: "planned", planned: 5, empty: 0, createdAt: new Date(s.w.clock.now()).toISOString() });
  return jobs.sort((x, y) => x.batch - y.batch);
}

const complaint = (key: string, batch: number, id: string): SesEventDetail =>
  ({ eventType: "Complaint", mail: { messageId: `m-${id}`, tags: { campaign: [campaignTag(key)], batch: [String(batch)], recipient: [id] } }, complaint: { complainedRecipients: [{ emailAddress: `${id}@example.org` }] } }) as SesEventDetail;

const status = (s: ReturnType<typeof setup>) => getRunStatus({ runs: s.runs, outbox: s.w.outbox }, "run-1");

/** Sends every batch pointer on the send queue, as the send queue's consumer would. */
async function drainSends(s: ReturnType<typeof setup>) {
  for (const job of s.w.mailQueue.drain()) if (job.kind === "batch") await sendBatch(s.sender, job);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("automatic pause of a digest run", () => {
  it("pauses the digest when complaints pass the limit after the minimum sample, and holds the batches not yet sent", async () => {
    const s = setup();
    const [first, second] = await digestRun(s);
    expect((await sendBatch(s.sender, first!)).outcome).toBe("sent");
    const { harmful } = await recordSesFeedback(s.feedbackDeps, "ev-1", complaint(DIGEST, 1, "a"));
    expect(harmful).toMatchObject({ code: "complaint_rate", count: 1, sent: 3, limit: 0.001 });
    expect(await status(s)).toMatchObject({
      state: "paused",
      sent: 3,
      pausedReason: { code: "complaint_rate", count: 1, sent: 3, message: expect.stringMatching(/1 complaints for 3 emails sent \(33\.33%\), over the 0\.1% limit/) },
    });
    expect(s.audit.entries).toMatchObject([{ action: "campaign.auto-pause", targetId: DIGEST, actor: { sub: "system:auto-pause" }, details: { code: "complaint_rate", count: 1, sent: 3 } }]);

    // The second batch stays frozen: leased, found paused, put off by a day, nothing sent.
    expect(await sendBatch(s.sender, second!)).toEqual({ outcome: "paused" });
    expect(s.w.mailer.recipients.sort()).toEqual(["a@example.org", "b@example.org", "c@example.org"]);
    expect(s.w.outbox.batch(DIGEST, 2)).toMatchObject({ status: "planned", results: {} });
    // A second complaint neither pauses again nor writes another audit entry.
    expect((await recordSesFeedback(s.feedbackDeps, "ev-2", complaint(DIGEST, 1, "b"))).harmful).toBeUndefined();
    expect(s.audit.actions).toEqual(["campaign.auto-pause"]);
  });

  it("does not pause below the minimum sample, however high the rate", async () => {
    const s = setup({ minSample: 4, complaintRate: 0.001, bounceRate: 0.05 });
    const [first, second] = await digestRun(s);
    await sendBatch(s.sender, first!);
    expect((await recordSesFeedback(s.feedbackDeps, "ev-1", complaint(DIGEST, 1, "a"))).harmful).toBeUndefined();
    expect((await status(s))!.state).toBe("sending");
    expect(await sendBatch(s.sender, second!)).toMatchObject({ outcome: "sent", sent: 2 });
    expect(await status(s)).toMatchObject({ state: "done", sent: 5 });
    expect(s.audit.entries).toEqual([]);
  });

  it("resumes: the held batch is enqueued at once and every recipient gets the digest exactly once", async () => {
    const s = setup();
    const [first, second] = await digestRun(s);
    await sendBatch(s.sender, first!);
    await recordSesFeedback(s.feedbackDeps, "ev-1", complaint(DIGEST, 1, "a"));
    await sendBatch(s.sender, second!);

    const resumed = await resumeDigestRun(s.control, publisher, "run-1");
    expect(resumed).toMatchObject({ state: "sending", unsentBatches: 1, unsentRecipients: 2 });
    expect(resumed.pausedReason).toBeUndefined();
    expect(s.w.mailQueue.bodies).toEqual([{ kind: "batch", campaign: DIGEST, batch: 2 }]);
    await drainSends(s);
    // Redelivered and swept pointers of both batches are duplicates.
    expect(await sendBatch(s.sender, first!)).toEqual({ outcome: "duplicate" });
    expect(await sendBatch(s.sender, second!)).toEqual({ outcome: "duplicate" });
    expect(s.w.mailer.recipients.sort()).toEqual(["a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org"]);
    expect(await status(s)).toMatchObject({ state: "done", sent: 5, skipped: 0 });
    expect(s.audit.entries.at(-1)).toMatchObject({ action: "digest.resume", targetId: "run-1", actor: { email: "publisher@example.org" }, details: { campaign: DIGEST, pausedReason: "complaint_rate", unsent: 2 } });

    // After the resume the pause measures only what came after: 1 old complaint in 2 new sends is not counted again.
    expect((await recordSesFeedback(s.feedbackDeps, "ev-3", complaint(DIGEST, 1, "c"))).harmful).toBeUndefined();
  });

  it("cancels: the held batch is completed with its recipients skipped as cancelled, and nothing more goes out", async () => {
    const s = setup();
    const [first] = await digestRun(s);
    await sendBatch(s.sender, first!);
    await recordSesFeedback(s.feedbackDeps, "ev-1", complaint(DIGEST, 1, "a"));

    const cancelled = await cancelDigestRun(s.control, publisher, "run-1");
    expect(cancelled).toMatchObject({ state: "cancelled", unsentBatches: 1, unsentRecipients: 2 });
    await drainSends(s);
    expect(s.w.outbox.batch(DIGEST, 2)).toMatchObject({ status: "sent", results: { d: { kind: "skipped", reason: "cancelled" }, e: { kind: "skipped", reason: "cancelled" } } });
    expect(await status(s)).toMatchObject({ state: "cancelled", sent: 3, skipped: 2 });
    expect(s.w.mailer.recipients).toHaveLength(3);
    expect(s.audit.entries.at(-1)).toMatchObject({ action: "digest.cancel", targetId: "run-1", details: { was: "paused", sent: 3, unsent: 2 } });
    // A repeat answers the state again, with nothing left to cancel.
    expect(await cancelDigestRun(s.control, publisher, "run-1")).toMatchObject({ state: "cancelled", unsentBatches: 0 });
    expect(s.audit.actions.filter((a) => a === "digest.cancel")).toHaveLength(1);
  });

  it("refuses to resume a run that is not paused (409), to cancel a finished one (409) and an unknown id (404)", async () => {
    const s = setup();
    const [first, second] = await digestRun(s);
    await sendBatch(s.sender, first!);
    const sending = await refusal(resumeDigestRun(s.control, publisher, "run-1"));
    expect(sending).toMatchObject({ status: 409, code: "not_paused", message: "The run is sending; only a paused run can be resumed." });
    await sendBatch(s.sender, second!);
    expect(await refusal(resumeDigestRun(s.control, publisher, "run-1"))).toMatchObject({ status: 409, code: "not_paused", message: expect.stringContaining("The run is done") });
    expect(await refusal(cancelDigestRun(s.control, publisher, "run-1"))).toMatchObject({ status: 409, code: "not_active", message: expect.stringContaining("The run is done") });
    expect(await refusal(resumeDigestRun(s.control, publisher, "no-such-run"))).toMatchObject({ status: 404, code: "run_not_found" });
    expect(await refusal(cancelDigestRun(s.control, publisher, "../bad id"))).toMatchObject({ status: 404, code: "run_not_found" });
    await s.runs.putRun({ runId: "run-2", cadence: "monthly", period: "2026-12", campaign: "digest#monthly#2026-12", state: "queued", planned: 0, empty: 0, createdAt: new Date(s.w.clock.now()).toISOString() });
    expect(await refusal(cancelDigestRun(s.control, publisher, "run-2"))).toMatchObject({ status: 409, code: "not_active", message: expect.stringContaining("The run is queued") });
    expect(s.audit.entries).toEqual([]);
  });

  it("resuming and cancelling a run need the publisher role", () => {
    expect(staffRoleOf("POST /api/staff/runs/{id}/resume")).toBe("publisher");
    expect(staffRoleOf("POST /api/staff/runs/{id}/cancel")).toBe("publisher");
    expect(staffRoleOf("GET /api/staff/runs/{id}")).toBe("staff");
  });
});

describe("automatic pause of an immediate alert", () => {
  const ALERT = "alert#item-9#2";

  it("pauses the alert's remaining batches; held ones are dropped as expired once its delivery deadline passes, never sent late", async () => {
    const s = setup();
    const [first, second] = (await plan(s.w, ALERT, "alert", [["a", "b", "c"], ["d", "e"]])).sort((x, y) => x.batch - y.batch);
    await sendBatch(s.sender, first!);
    expect((await recordSesFeedback(s.feedbackDeps, "ev-1", complaint(ALERT, 1, "a"))).harmful).toMatchObject({ code: "complaint_rate" });
    expect(await sendBatch(s.sender, second!)).toEqual({ outcome: "paused" });
    // Held until just after the deadline (not a day), so the sweeper finds it then.
    const created = Date.parse((await s.w.outbox.getCampaign(ALERT))!.createdAt);
    expect(await s.w.outbox.dueBatches(created + SIX_HOURS, 10)).toEqual([]);
    expect(await s.w.outbox.dueBatches(created + SIX_HOURS + 60_001, 10)).toEqual([{ campaign: ALERT, batch: 2 }]);

    s.w.clock.advance(SIX_HOURS + 60_000);
    expect(await sendBatch(s.sender, second!)).toEqual({ outcome: "expired", expired: 2 });
    expect(s.w.mailer.recipients).toHaveLength(3);
    expect(await s.w.outbox.getCampaign(ALERT)).toMatchObject({ sent: 3, skipped: 2, expired: 2, batchesDone: 2 });
  });

  it("a resumed alert still respects its deadline: resumed after it, the held batch is dropped, not sent", async () => {
    const s = setup();
    const [first, second] = (await plan(s.w, ALERT, "alert", [["a", "b", "c"], ["d", "e"]])).sort((x, y) => x.batch - y.batch);
    await sendBatch(s.sender, first!);
    await recordSesFeedback(s.feedbackDeps, "ev-1", complaint(ALERT, 1, "a"));
    await sendBatch(s.sender, second!);
    await s.w.outbox.resumeCampaign(ALERT, new Date(s.w.clock.now()).toISOString());
    s.w.clock.advance(SIX_HOURS + 1);
    expect(await sendBatch(s.sender, second!)).toEqual({ outcome: "expired", expired: 2 });
    expect(s.w.mailer.recipients).toHaveLength(3);
  });
});
