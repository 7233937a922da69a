import { describe, expect, it } from "vitest";
import {
  announcementCampaignKey,
  cancelAnnouncement,
  createAnnouncement,
  pauseAnnouncement,
  planAnnouncement,
  resumeAnnouncement,
  reviewAnnouncement,
  sendAnnouncement,
  type AnnouncementDeps,
  type CompileAnnouncement,
} from "../../packages/core/src/announcements";
import { sendBatch } from "../../packages/core/src/campaigns";
import { AppError } from "../../packages/core/src/shared/errors";
import type { BatchJob, PlanJob } from "../../packages/core/src/shared/jobs";
import { MemoryAnnouncements, MemoryAuditLog, RecordingQueue, RecordingScheduler, UlidIds, MISSIONS, world } from "../fakes";

const staff = { sub: "staff-1", email: "editor@example.org", groups: ["staff", "publisher"] };
const draft = { title: { sv: "Nyhet", en: "News" }, body: { sv: "Hej **alla**.", en: "Hello **all**." }, missions: ["food-system"] };
const compile: CompileAnnouncement = async (spec, language) => ({ subject: `${spec.content.title[spec.contentLanguage]} (${language})`, html: "<p>x</p>{{unsubscribeUrl}}", text: "x" });

function setup(missions = MISSIONS) {
  const w = world(missions);
  const both = new MemoryAnnouncements(w.outbox);
  const audit = new MemoryAuditLog();
  const scheduler = new RecordingScheduler();
  const planQueue = new RecordingQueue<PlanJob>();
  const deps: AnnouncementDeps = { announcements: both, store: w.store, outbox: w.outbox, planQueue, sendQueue: w.mailQueue, scheduler, audit, clock: w.clock, ids: new UlidIds(), compile, publicUrl: "https://mail.example.org", approvalThreshold: 100 };
  const planDeps = { announcements: both, store: w.store, outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, ids: deps.ids, owner: "planner", compile, audit, approvalThreshold: deps.approvalThreshold };
  const sender = { outbox: w.outbox, store: w.store, mailer: w.mailer, pacer: w.pacer, clock: w.clock, tokenKeys: w.tokenKeys, publicUrl: "https://mail.example.org", unsubscribeMailto: "u@example.org", replyTo: "Missions <info@mail.example.org>", owner: "s", leaseMs: 60_000, maxPacingWaitMs: 1000, mode: "bulk" as const };
  const sendAll = async () => {
    for (const job of w.mailQueue.drain()) if (job.kind === "batch") await sendBatch(sender, job as BatchJob);
  };
  return { w, deps, planDeps, audit, scheduler, planQueue, sendAll };
}
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe("announcements", () => {
  it("creates a draft with an audience estimate, audited; refuses unknown missions and bad fields, storing nothing", async () => {
    const { w, deps, audit } = setup();
    w.active("a");
    const view = await createAnnouncement(deps, staff, draft);
    expect(view).toMatchObject({ state: "draft", languages: ["sv", "en"], version: 1, campaign: announcementCampaignKey(view.id) });
    expect(audit.actions).toEqual(["announcement.create"]);
    const err = await refusal(createAnnouncement(deps, staff, { ...draft, missions: ["nope"], title: {} }));
    expect(err.status).toBe(400);
    expect(audit.actions).toHaveLength(1);
  });

  it("sending is idempotent on the id: a repeat answers 200, each recipient is planned and mailed once, in their language", async () => {
    const { w, deps, planDeps, planQueue, sendAll } = setup();
    w.active("a");
    w.active("b", { language: "en", missions: ["food-system", "mobility"], cadence: "weekly" });
    w.active("c", { topics: ["seminar"] });
    const { id } = await createAnnouncement(deps, staff, draft);
    expect((await sendAnnouncement(deps, staff, id, { acknowledgeWarnings: true })).status).toBe(202);
    expect((await sendAnnouncement(deps, staff, id, { acknowledgeWarnings: true })).status).toBe(200);
    for (const job of planQueue.drain()) if (job.kind === "plan-announcement") await planAnnouncement(planDeps, job);
    await sendAll();
    expect(w.mailer.bulkCalls.map((c) => [c.template.subject, c.entries.map((e) => e.to)])).toEqual([
      ["Nyhet (sv)", ["a@example.org"]],
      ["News (en)", ["b@example.org"]],
    ]);
    const again = await sendAnnouncement(deps, staff, id, { acknowledgeWarnings: true });
    expect(again).toMatchObject({ status: 200, view: { state: "done", counters: { sent: 2, audience: 2 } } });
  });

  it("answers to the mission's team when it is for one mission, else to the general address", async () => {
    const teams = MISSIONS.map((m) => (m.id === "food-system" ? { ...m, teamAddress: "food-team@example.org" } : m));
    const { w, deps: base, planDeps, planQueue, sendAll } = setup(teams);
    // Ids of their own: the sender caches variants by campaign key, and other tests' ids repeat.
    let n = 0;
    const deps = { ...base, ids: { next: () => `01KC${String(++n).padStart(22, "0")}` } };
    w.active("a", { missions: ["food-system", "mobility"] });
    const one = await createAnnouncement(deps, staff, draft);
    await sendAnnouncement(deps, staff, one.id, { acknowledgeWarnings: true });
    const several = await createAnnouncement(deps, staff, { ...draft, title: { sv: "Båda", en: "Both" }, missions: ["food-system", "mobility"] });
    await sendAnnouncement(deps, staff, several.id, { acknowledgeWarnings: true });
    for (const job of planQueue.drain()) if (job.kind === "plan-announcement") await planAnnouncement(planDeps, job);
    await sendAll();
    expect(w.mailer.bulkCalls.map((c) => [c.template.subject, c.replyTo])).toEqual([
      ["Nyhet (sv)", "food-team@example.org"],
      ["Båda (sv)", "Missions <info@mail.example.org>"],
    ]);
  });

  it("pauses, resumes (re-enqueueing what is unsent) and cancels; a cancelled send skips everyone left and stays cancelled", async () => {
    const { w, deps, planDeps, planQueue, audit, sendAll } = setup();
    for (const id of ["a", "b"]) w.active(id);
    const { id } = await createAnnouncement(deps, staff, draft);
    await sendAnnouncement(deps, staff, id, { acknowledgeWarnings: true });
    await planAnnouncement(planDeps, planQueue.drain()[0] as { id: string });
    w.mailQueue.drain();
    expect((await pauseAnnouncement(deps, staff, id)).view).toMatchObject({ state: "paused", pausedReason: { code: "manual", message: "Paused by editor@example.org." } });
    expect((await pauseAnnouncement(deps, staff, id)).status).toBe(200);
    await resumeAnnouncement(deps, staff, id);
    expect(w.mailQueue.bodies).toEqual([{ kind: "batch", campaign: announcementCampaignKey(id), batch: 1 }]);
    await cancelAnnouncement(deps, staff, id);
    await sendAll();
    expect(w.mailer.recipients).toEqual([]);
    const view = (await cancelAnnouncement(deps, staff, id)).view;
    expect(view).toMatchObject({ state: "cancelled", counters: { skipped: 2, sent: 0 } });
    expect((await refusal(sendAnnouncement(deps, staff, id, { acknowledgeWarnings: true }))).code).toBe("cancelled");
    expect(audit.actions).toEqual(["announcement.create", "announcement.send", "announcement.pause", "announcement.resume", "announcement.cancel"]);
  });

  it("schedules in Stockholm time, ignores a stale schedule when it fires, and cancelling removes the schedule", async () => {
    const { deps, planDeps, scheduler } = setup();
    const { id } = await createAnnouncement(deps, staff, draft);
    const first = await sendAnnouncement(deps, staff, id, { at: "2026-12-03T09:00", acknowledgeWarnings: true });
    expect(first).toMatchObject({ status: 202, view: { state: "scheduled", scheduledAt: "2026-12-03T08:00:00.000Z", scheduledFor: "2026-12-03T09:00" } });
    await sendAnnouncement(deps, staff, id, { at: "2026-12-04T10:30", acknowledgeWarnings: true });
    expect([...scheduler.schedules]).toEqual([`${id}@${Date.parse("2026-12-04T09:30:00.000Z")}`]);
    expect(await planAnnouncement(planDeps, { id, at: Date.parse("2026-12-03T08:00:00.000Z") })).toMatchObject({ status: "ignored" });
    expect((await refusal(sendAnnouncement(deps, staff, id, { at: "2026-11-01T09:00", acknowledgeWarnings: true }))).code).toBe("time_in_past");
    await cancelAnnouncement(deps, staff, id);
    expect(scheduler.schedules.size).toBe(0);
  });

  it("holds an unapproved schedule whose audience outgrew the approval threshold when it fires: back to draft, audited, nothing sent", async () => {
    const { w, deps, planDeps, audit, sendAll } = setup();
    const small = { ...deps, approvalThreshold: 2 };
    w.active("a");
    w.active("b");
    const { id } = await createAnnouncement(small, staff, draft);
    const scheduled = await sendAnnouncement(small, staff, id, { at: "2026-12-03T09:00", acknowledgeWarnings: true });
    expect(scheduled.view.state).toBe("scheduled");
    const at = Date.parse(scheduled.view.scheduledAt!);
    // Two at scheduling time, three when the schedule fires: over the threshold, and nobody approved it.
    w.active("c");
    const held = await planAnnouncement({ ...planDeps, approvalThreshold: 2 }, { id, at });
    expect(held).toEqual({ status: "held", audience: 3, threshold: 2 });
    await sendAll();
    expect(w.mailer.recipients).toHaveLength(0);
    const view = (await deps.announcements.getAnnouncement(id))!;
    expect(view.state).toBe("draft");
    expect(view.scheduledAt).toBeUndefined();
    expect(audit.entries.at(-1)).toMatchObject({ action: "announcement.schedule-held", actor: { sub: "scheduler" }, targetId: id, details: { reason: "approval_required", audience: 3, threshold: 2, scheduledFor: "2026-12-03T09:00", author: "editor@example.org" } });
    // The spent schedule firing again (a redelivery) does nothing more.
    expect(await planAnnouncement({ ...planDeps, approvalThreshold: 2 }, { id, at })).toMatchObject({ status: "ignored" });
    expect(audit.actions.filter((a) => a === "announcement.schedule-held")).toHaveLength(1);
  });

  it("sends a scheduled announcement whose audience stayed within the threshold, or that was approved", async () => {
    const { w, deps, planDeps, sendAll } = setup();
    w.active("a");
    const { id } = await createAnnouncement(deps, staff, draft);
    const scheduled = await sendAnnouncement(deps, staff, id, { at: "2026-12-03T09:00", acknowledgeWarnings: true });
    w.active("b");
    expect(await planAnnouncement(planDeps, { id, at: Date.parse(scheduled.view.scheduledAt!) })).toMatchObject({ status: "planned", planned: 2 });
    await sendAll();
    expect(w.mailer.recipients).toHaveLength(2);

    // Approved by a second publisher: the audience may grow past the threshold and it still goes out.
    const small = { ...deps, approvalThreshold: 0 };
    const approved = await createAnnouncement(small, staff, draft);
    await reviewAnnouncement(small, { sub: "second", email: "second@example.org", groups: ["publisher"] }, approved.id, {});
    const later = await sendAnnouncement(small, staff, approved.id, { at: "2026-12-03T10:00", acknowledgeWarnings: true });
    w.active("c");
    expect(await planAnnouncement({ ...planDeps, approvalThreshold: 0 }, { id: approved.id, at: Date.parse(later.view.scheduledAt!) })).toMatchObject({ status: "planned", planned: 3 });
  });

  it("refuses to pause what is not sending", async () => {
    const { deps } = setup();
    const { id } = await createAnnouncement(deps, staff, draft);
    expect((await refusal(pauseAnnouncement(deps, staff, id))).code).toBe("not_sending");
  });
});
