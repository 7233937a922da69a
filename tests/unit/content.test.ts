import { describe, expect, it } from "vitest";
import { applyContentEvent, type ContentEvent, type ContentItem, type Seminar } from "../../packages/core/src/content";
import { FakeClock, MemoryContentStore, RecordingContentAlerts } from "../fakes";

const seminar = (over: Partial<Seminar> = {}): Seminar => ({
  id: "sem-1",
  version: 1,
  kind: "seminar",
  missions: ["food-system"],
  language: "sv",
  title: "Seminarium",
  summary: "Om mat.",
  url: "https://www.example.org/sem-1",
  publishedAt: "2026-11-30T08:00:00Z",
  startsAt: "2026-12-10T13:00:00Z",
  endsAt: "2026-12-10T15:00:00Z",
  location: "Stockholm",
  ...over,
});
const event = (item: ContentItem, type: ContentEvent["type"] = "content.published"): ContentEvent => ({ type, item });

function setup() {
  const content = new MemoryContentStore();
  const alerts = new RecordingContentAlerts();
  return { content, alerts, deps: { content, alerts, clock: new FakeClock() } };
}

describe("applying content events", () => {
  it("alerts once for a published item; a replay of a version whose planning finished plans nothing, whoever subscribed since", async () => {
    const { content, alerts, deps } = setup();
    expect(await applyContentEvent(deps, event(seminar()))).toEqual({ result: "stored", mail: "alert", planned: 3 });
    expect(await applyContentEvent(deps, event(seminar()))).toEqual({ result: "replayed", mail: "none", planned: 0 });
    expect((await content.getContent("sem-1"))!).toMatchObject({ alertedVersions: [1], plannedVersion: 1 });
    expect(alerts.alerts).toHaveLength(1);
  });

  it("a replay finishes planning that a crash cut short, once", async () => {
    const { alerts, deps } = setup();
    const plan = alerts.planItemAlert.bind(alerts);
    alerts.planItemAlert = async () => {
      throw new Error("crashed while planning");
    };
    await expect(applyContentEvent(deps, event(seminar()))).rejects.toThrow("crashed while planning");
    alerts.planItemAlert = plan;
    expect(await applyContentEvent(deps, event(seminar()))).toEqual({ result: "replayed", mail: "alert", planned: 3 });
    expect(await applyContentEvent(deps, event(seminar()))).toEqual({ result: "replayed", mail: "none", planned: 0 });
    expect(alerts.alerts).toHaveLength(1);
  });

  it("ignores an older version arriving after a newer one", async () => {
    const { content, alerts, deps } = setup();
    await applyContentEvent(deps, event(seminar({ version: 3, title: "Ny" })));
    expect(await applyContentEvent(deps, event(seminar({ version: 2, title: "Gammal" }), "content.updated"))).toEqual({ result: "stale", mail: "none", planned: 0 });
    expect((await content.getContent("sem-1"))!.item.title).toBe("Ny");
    expect(alerts.alerts).toHaveLength(1);
  });

  it("sends a 'changed' notice only when a seminar's time or place changes, keeping the version before", async () => {
    const { content, alerts, deps } = setup();
    await applyContentEvent(deps, event(seminar()));
    expect(await applyContentEvent(deps, event(seminar({ version: 2, title: "Nytt namn" }), "content.updated"))).toMatchObject({ mail: "none" });
    expect(await applyContentEvent(deps, event(seminar({ version: 3, location: "Göteborg" }), "content.updated"))).toMatchObject({ mail: "changed-notice", planned: 3 });
    expect(alerts.notices[0]!.previous.location).toBe("Stockholm");
    expect((await content.getContent("sem-1"))!).toMatchObject({ alertedVersions: [1, 3], previousItem: { version: 2 } });
  });

  it("unpublishing takes the item out of future digests and alerts nobody", async () => {
    const { content, alerts, deps } = setup();
    await applyContentEvent(deps, event(seminar()));
    expect(await applyContentEvent(deps, event(seminar({ version: 2 }), "content.unpublished"))).toEqual({ result: "stored", mail: "none", planned: 0 });
    expect(await content.upcomingSeminars("food-system", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")).toEqual([]);
    expect(alerts.alerts).toHaveLength(1);
  });

  it("stores an item that cannot go into an email but alerts nobody, and a corrected version alerts as new", async () => {
    const { content, alerts, deps } = setup();
    alerts.refused.set("sem-1", "link refused");
    expect(await applyContentEvent(deps, event(seminar()))).toMatchObject({ result: "stored", mail: "none", leftOut: { itemId: "sem-1", reason: "link refused" } });
    expect((await content.getContent("sem-1"))!.alertedVersions).toEqual([]);
    alerts.refused.clear();
    expect(await applyContentEvent(deps, event(seminar({ version: 2 }), "content.updated"))).toMatchObject({ mail: "alert" });
  });

  it("does not alert for a seminar that has already ended", async () => {
    const { deps } = setup();
    expect(await applyContentEvent(deps, event(seminar({ startsAt: "2026-11-01T10:00:00Z", endsAt: "2026-11-01T12:00:00Z" })))).toMatchObject({ mail: "none" });
  });

  it("reads again and retries when a concurrent write wins", async () => {
    const { content, alerts, deps } = setup();
    content.conflicts = 2;
    expect(await applyContentEvent(deps, event(seminar()))).toMatchObject({ result: "stored", mail: "alert" });
    expect(alerts.alerts).toHaveLength(1);
  });
});
