import { describe, expect, it } from "vitest";
import { departureSummary, parseDepartureReason, recordDepartureReason, type DepartureDeps } from "../../packages/core/src/departures";
import { AppError } from "../../packages/core/src/shared/errors";
import { campaignTag } from "../../packages/core/src/shared/campaign-tags";
import { unsubscribe } from "../../packages/core/src/subscription";
import { MemoryDepartureAnswers, world, type World } from "../fakes";

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

function setup() {
  const w = world();
  const answers = new MemoryDepartureAnswers();
  const deps: DepartureDeps = { store: w.store, answers, clock: w.clock, tokenKeys: w.tokenKeys, stats: w.stats };
  return { w, answers, deps };
}

async function leave(w: World, id: string, missions = ["food-system", "mobility"]) {
  w.active(id, { missions });
  await unsubscribe({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys }, w.token("manage", id));
  return w.token("manage", id);
}

describe("why people leave", () => {
  it("stores the reason with the missions and the campaign, and nothing that names the person", async () => {
    const { w, answers, deps } = setup();
    const token = await leave(w, "sub-anna");
    const tag = campaignTag("digest#weekly#2026-W49");
    expect(await recordDepartureReason(deps, token, tag, { reason: "too-many-emails", text: "  Weekly is too often.  " })).toEqual({ status: "recorded" });
    expect(answers.answers).toEqual([
      { answerId: expect.stringMatching(/^[0-9a-f]{32}$/), reason: "too-many-emails", text: "Weekly is too often.", missions: ["food-system", "mobility"], campaign: "digest#weekly#2026-W49", at: "2026-12-01T09:00:00.000Z" },
    ]);
    const stored = JSON.stringify(answers.answers);
    expect(stored).not.toContain("sub-anna");
    expect(stored).not.toContain("example.org");
  });

  it("keeps one answer per person: a second one is a duplicate and changes nothing", async () => {
    const { w, answers, deps } = setup();
    const token = await leave(w, "sub-anna");
    await recordDepartureReason(deps, token, undefined, { reason: "never-signed-up" });
    expect(await recordDepartureReason(deps, token, undefined, { reason: "never-signed-up" })).toEqual({ status: "duplicate" });
    expect(answers.answers).toHaveLength(1);
    // "Never signed up" is counted beside complaints, once, for each mission they followed.
    expect(w.stats.sum("food-system", "neverSignedUp")).toBe(1);
    expect(w.stats.sum("mobility", "neverSignedUp")).toBe(1);
  });

  it("refuses an unknown reason and a text over 500 characters, naming each field, and stores nothing", async () => {
    const { w, answers, deps } = setup();
    const token = await leave(w, "sub-anna");
    const err = await refusal(recordDepartureReason(deps, token, undefined, { reason: "spam", text: "x".repeat(501) }));
    expect([err.status, err.code]).toEqual([400, "validation_failed"]);
    expect(err.fields!.map((f) => f.field).sort()).toEqual(["reason", "text"]);
    expect((await refusal(recordDepartureReason(deps, token, undefined, {}))).fields!.map((f) => f.field)).toEqual(["reason"]);
    expect((await refusal(recordDepartureReason(deps, token, undefined, { reason: "other", text: 5 }))).fields!.map((f) => f.field)).toEqual(["text"]);
    expect(answers.answers).toEqual([]);
    // 500 characters (letters outside ASCII count as one each) is fine; blank text counts as none.
    expect(parseDepartureReason({ reason: "other", text: "ö".repeat(500) }).text).toHaveLength(500);
    expect(parseDepartureReason({ reason: "other", text: "   " })).toEqual({ reason: "other" });
  });

  it("takes answers only from someone who unsubscribed, with a valid manage token", async () => {
    const { w, deps } = setup();
    w.active("sub-bo");
    expect((await refusal(recordDepartureReason(deps, w.token("manage", "sub-bo"), undefined, { reason: "other" }))).code).toBe("not_unsubscribed");
    expect((await refusal(recordDepartureReason(deps, "forged", undefined, { reason: "other" }))).code).toBe("invalid_token");
    expect((await refusal(recordDepartureReason(deps, w.token("confirm", "sub-bo"), undefined, { reason: "other" }))).code).toBe("invalid_token");
  });

  it("sums the answers per mission and reason in a period, with the free texts newest first", async () => {
    const { w, deps } = setup();
    await recordDepartureReason(deps, await leave(w, "a"), undefined, { reason: "too-many-emails" });
    w.clock.advance(86_400_000);
    await recordDepartureReason(deps, await leave(w, "b", ["mobility"]), undefined, { reason: "not-relevant", text: "Wrong city." });
    await recordDepartureReason(deps, await leave(w, "c", ["food-system"]), undefined, { reason: "never-signed-up", text: "Not me." });
    w.clock.advance(40 * 86_400_000);
    await recordDepartureReason(deps, await leave(w, "d"), undefined, { reason: "other" }); // outside the period below
    const summary = await departureSummary({ answers: deps.answers, store: w.store, clock: w.clock }, { from: "2026-12-01", to: "2026-12-31" });
    expect(summary.from).toBe("2026-12-01");
    const byId = Object.fromEntries(summary.missions.map((m) => [m.id, m]));
    expect(byId["food-system"]).toMatchObject({ total: 2, counts: { "too-many-emails": 1, "not-relevant": 0, "never-signed-up": 1, other: 0 } });
    expect(byId["mobility"]).toMatchObject({ total: 2, counts: { "too-many-emails": 1, "not-relevant": 1, "never-signed-up": 0, other: 0 } });
    expect(byId["food-system"]!.comments).toEqual([{ reason: "never-signed-up", text: "Not me.", at: "2026-12-02T09:00:00.000Z" }]);
    const one = await departureSummary({ answers: deps.answers, store: w.store, clock: w.clock }, { mission: "mobility" });
    expect(one.missions.map((m) => [m.id, m.total])).toEqual([["mobility", 1]]); // the last 30 days: only d's answer
  });

  it("refuses bad periods naming the field, and an unknown mission with 404", async () => {
    const { w, deps } = setup();
    const summary = (query: Record<string, string>) => departureSummary({ answers: deps.answers, store: w.store, clock: w.clock }, query);
    expect((await refusal(summary({ from: "yesterday" }))).fields).toEqual([{ field: "from", message: expect.stringMatching(/date/) }]);
    expect((await refusal(summary({ from: "2026-12-02", to: "2026-12-01" }))).fields!.map((f) => f.field)).toEqual(["from"]);
    expect((await refusal(summary({ from: "2024-01-01", to: "2026-12-01" }))).fields!.map((f) => f.field)).toEqual(["from"]);
    expect((await refusal(summary({ to: "2026-13-45" }))).fields!.map((f) => f.field)).toContain("to");
    expect((await refusal(summary({ mission: "no-such" }))).status).toBe(404);
  });
});
