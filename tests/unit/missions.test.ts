import { describe, expect, it } from "vitest";
import { completeRetirement, retireMission, retirementCampaignKey, type RetirementDeps } from "../../packages/core/src/missions";
import type { PlanJob } from "../../packages/core/src/shared/jobs";
import { MISSIONS, MemoryAlertWindows, MemoryAuditLog, MemoryContentStore, MemoryMissionCatalogue, RecordingQueue, world } from "../fakes";

const staff = { sub: "staff-1", email: "editor@example.org", groups: ["staff"] };

function setup() {
  const w = world();
  const catalogue = new MemoryMissionCatalogue(MISSIONS.map((m) => ({ ...m, version: 1 })));
  w.store.directory = catalogue;
  const planQueue = new RecordingQueue<PlanJob>();
  const windows = new MemoryAlertWindows();
  const content = new MemoryContentStore();
  const audit = new MemoryAuditLog();
  const deps: RetirementDeps = { missions: catalogue, store: w.store, windows, content, planQueue, ids: w.ids, stats: w.stats, outbox: w.outbox, sendQueue: w.mailQueue, clock: w.clock, owner: "retirer" };
  const retire = () => retireMission({ missions: catalogue, audit, clock: w.clock, ids: w.ids, planQueue }, staff, "food-system");
  return { w, deps, planQueue, windows, content, audit, retire };
}

describe("retiring a mission", () => {
  it("tells every follower once, in their language, whether it was their last mission, then lets them go with an 'updated' record", async () => {
    const { w, deps, planQueue, audit, retire } = setup();
    w.active("only", { topics: ["news", "seminar"], cadence: "weekly" });
    w.active("both", { missions: ["food-system", "mobility"], language: "en" });
    w.active("other", { missions: ["mobility"] });
    expect((await retire()).campaign).toBe(retirementCampaignKey("food-system"));
    expect(planQueue.bodies).toEqual([{ kind: "retire-mission", missionId: "food-system" }]);
    expect(audit.actions).toEqual(["mission.retire"]);

    expect(await completeRetirement(deps, "food-system")).toEqual({ status: "done", planned: 2, removed: 2 });
    const batches = [...w.outbox.batches.get(retirementCampaignKey("food-system"))!.values()];
    expect(batches.map((b) => [b.language, b.recipients])).toEqual([["sv", ["only"]], ["en", ["both"]]]);
    const subjects = batches.map((b) => w.outbox.variants.get(`${retirementCampaignKey("food-system")}|${b.variant}`)!.subject);
    expect(subjects[0]).toContain("Livsmedelssystemet");
    expect(subjects[1]).toContain("Food system");

    expect((await w.store.getSubscriber("only", w.clock.now()))!).toMatchObject({ status: "active", missions: [] });
    expect((await w.store.getSubscriber("both", w.clock.now()))!.missions).toEqual(["mobility"]);
    expect(await w.store.audience("food-system", "news", "immediate")).toEqual([]);
    expect((await w.store.ledger("both")).map((r) => [r.event, r.source, r.reason])).toEqual([["updated", "staff", "mission-retired:food-system"]]);

    // Again (a redelivered job, a second retire): nobody is planned or changed twice.
    expect(await completeRetirement(deps, "food-system")).toEqual({ status: "done", planned: 0, removed: 0 });
  });

  it("takes the mission's collected items out of its followers' open alert windows, keeping items of missions they still follow", async () => {
    const { w, deps, windows, content, retire } = setup();
    w.active("both", { missions: ["food-system", "mobility"] });
    const item = (id: string, missions: string[]) => ({ id, version: 1, kind: "news" as const, missions, language: "sv" as const, title: id, summary: "s", url: `https://www.example.org/${id}`, publishedAt: "2026-11-30T08:00:00Z" });
    content.seed(item("food", ["food-system"]));
    content.seed(item("shared", ["food-system", "mobility"]));
    const { windowEndsAt } = await windows.open("both", "first#1", w.clock.now(), w.clock.now() + 3600_000);
    await windows.collect("both", windowEndsAt, "food#1");
    await windows.collect("both", windowEndsAt, "shared#1");
    await retire();
    await completeRetirement(deps, "food-system");
    expect(await windows.unflushed("both")).toEqual([{ windowEndsAt, items: ["shared#1"] }]);
  });

  it("does nothing for a mission that is not retired", async () => {
    const { deps } = setup();
    expect(await completeRetirement(deps, "mobility")).toEqual({ status: "not-retired", planned: 0, removed: 0 });
  });
});
