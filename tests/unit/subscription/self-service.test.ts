import { describe, expect, it } from "vitest";
import {
  confirm,
  eraseData,
  exportData,
  readPreferences,
  requestDataRights,
  unsubscribe,
  updatePreferences,
} from "../../../packages/core/src/subscription";
import { AppError } from "../../../packages/core/src/shared/errors";
import { campaignTag } from "../../../packages/core/src/shared/campaign-tags";
import { TOKEN_LIFETIMES } from "../../../packages/core/src/shared/tokens";
import { MemoryCampaignUnsubscribes, PEPPER, POLICY, subscribeNow as subscribe, world, type World } from "../../fakes";

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};
const base = (w: World) => ({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys, stats: w.stats });
const settings = { addressPepper: PEPPER, ipSalt: "salt", rateLimitPerAddress: 3, rateLimitPerIp: 5, rateWindowSeconds: 3600 };

/** A pending sign-up through the use case, as the API makes one. */
async function pending(w: World, missions = ["food-system", "mobility"]) {
  await subscribe({ ...base(w), limiter: w.limiter, queue: w.mailQueue, settings }, {
    email: "bo@example.org",
    language: "en",
    missions,
    topics: ["news"],
    cadence: "immediate",
    consent: { newsletter: true, policyVersion: POLICY },
  }, { source: "api" });
  return w.mailJobs().at(-1)!.subscriberId;
}
const choices = { language: "sv", missions: ["mobility"], topics: ["seminar", "news"], cadence: "weekly", tracking: true };

describe("confirm", () => {
  it("activates, clears the TTL, writes memberships and a 'confirmed' record, and counts the join; again is harmless", async () => {
    const w = world();
    const id = await pending(w);
    expect(await confirm(base(w), w.token("confirm", id))).toEqual({ status: "active", subscriberId: id, language: "en", alreadyConfirmed: false });
    const s = (await w.store.getSubscriber(id, w.clock.now()))!;
    expect(s.status).toBe("active");
    expect(s.expiresAt).toBeUndefined();
    expect(await w.store.audience("mobility", "news", "immediate")).toEqual([{ subscriberId: id, language: "en" }]);
    expect((await w.store.ledger(id)).map((r) => [r.event, r.source])).toEqual([["requested", "api"], ["confirmed", "email"]]);
    expect(await confirm(base(w), w.token("confirm", id))).toMatchObject({ status: "active", alreadyConfirmed: true });
    expect((await w.store.ledger(id))).toHaveLength(2);
    expect(w.stats.sum("mobility", "joined")).toBe(1);
  });

  it("refuses a sign-up past its TTL as gone (token_expired), even before the table deletes it", async () => {
    const w = world();
    const id = await pending(w);
    const token = w.token("confirm", id);
    w.clock.advance((TOKEN_LIFETIMES.confirm + 1) * 1000);
    const err = await refusal(confirm(base(w), token));
    expect([err.status, err.code]).toEqual([400, "token_expired"]);
    expect(w.store.profiles.get(id)!.status).toBe("pending");
  });

  it("refuses a token of another type, a tampered one and one for an unsubscribed person", async () => {
    const w = world();
    const id = await pending(w);
    expect((await refusal(confirm(base(w), w.token("manage", id)))).code).toBe("invalid_token");
    expect((await refusal(confirm(base(w), w.token("confirm", id).slice(0, -2) + "xx"))).code).toBe("invalid_token");
    expect((await refusal(confirm(base(w), undefined))).code).toBe("invalid_token");
    await unsubscribe(base(w), w.token("manage", id));
    expect((await refusal(confirm(base(w), w.token("confirm", id)))).code).toBe("token_expired");
  });

  it("does not join a mission retired since the sign-up", async () => {
    const w = world();
    const id = await pending(w);
    w.store.missions = w.store.missions.map((m) => (m.id === "mobility" ? { ...m, status: "retired" } : m));
    await confirm(base(w), w.token("confirm", id));
    expect((await w.store.getSubscriber(id, w.clock.now()))!.missions).toEqual(["food-system"]);
    expect(await w.store.audience("mobility", "news", "immediate")).toEqual([]);
  });
});

describe("preferences", () => {
  it("shows the masked address and the missions to choose from (retired ones only if still chosen); reading changes nothing", async () => {
    const w = world();
    w.active("sub-1", { email: "anna@example.org", missions: ["food-system", "old-mission"] });
    const view = await readPreferences(base(w), w.token("manage", "sub-1"));
    expect(view).toMatchObject({ status: "active", email: "a•••@example.org", missions: ["food-system", "old-mission"], tracking: false });
    expect(view.available.map((m) => [m.id, m.retired ?? false])).toEqual([["food-system", false], ["mobility", false], ["old-mission", true]]);
    expect(await w.store.ledger("sub-1")).toEqual([]);
  });

  it("saves the choices: memberships follow (cadence and language re-indexed), an 'updated' record, stats move", async () => {
    const w = world();
    w.active("sub-1");
    const view = await updatePreferences(base(w), w.token("manage", "sub-1"), choices, "web");
    expect(view).toMatchObject({ missions: ["mobility"], topics: ["seminar", "news"], cadence: "weekly", tracking: true, language: "sv" });
    expect(await w.store.audience("food-system", "news", "immediate")).toEqual([]);
    expect(await w.store.audience("mobility", "seminar", "weekly")).toEqual([{ subscriberId: "sub-1", language: "sv" }]);
    expect((await w.store.ledger("sub-1")).map((r) => [r.event, r.source, r.cadence, r.tracking])).toEqual([["updated", "web", "weekly", true]]);
    expect([w.stats.sum("food-system", "left"), w.stats.sum("mobility", "joined")]).toEqual([1, 1]);
  });

  it("refuses bad choices with field-level 400s and stores nothing; a retired mission may stay but not be added", async () => {
    const w = world();
    w.active("sub-1", { missions: ["food-system", "old-mission"] });
    const token = w.token("manage", "sub-1");
    const err = await refusal(updatePreferences(base(w), token, { ...choices, missions: [], cadence: "hourly", extra: 1 }, "api"));
    expect(err.fields!.map((f) => f.field).sort()).toEqual(["(body)", "cadence", "missions"]);
    await updatePreferences(base(w), token, { ...choices, missions: ["old-mission", "food-system"] }, "api");
    const w2 = world();
    w2.active("sub-2");
    expect((await refusal(updatePreferences(base(w2), w2.token("manage", "sub-2"), { ...choices, missions: ["old-mission"] }, "api"))).fields).toEqual([
      { field: "missions.0", message: 'Unknown mission "old-mission".' },
    ]);
    expect(await w2.store.ledger("sub-2")).toEqual([]);
  });

  it("answers 409 after an unsubscribe, and 409 conflict when the choices changed since they were read", async () => {
    const w = world();
    w.active("sub-1");
    const token = w.token("manage", "sub-1");
    const stale = (await w.store.getSubscriber("sub-1", w.clock.now()))!;
    await updatePreferences(base(w), token, choices, "web");
    const racing = { ...base(w), store: Object.assign(Object.create(w.store), { getSubscriber: async () => stale }) };
    expect((await refusal(updatePreferences(racing, token, choices, "web"))).code).toBe("conflict");
    await unsubscribe(base(w), token);
    expect((await readPreferences(base(w), token)).status).toBe("unsubscribed");
    expect((await refusal(updatePreferences(base(w), token, choices, "web"))).code).toBe("not_subscribed");
  });

  it("refuses an expired manage token with the manage wording, and 404s for someone erased", async () => {
    const w = world();
    w.active("sub-1");
    const err = await refusal(readPreferences(base(w), w.token("manage", "sub-1", w.clock.now() - (TOKEN_LIFETIMES.manage + 1) * 1000)));
    expect([err.code, err.message]).toEqual(["token_expired", "This link has expired. Use the link in the latest email from us."]);
    expect((await refusal(readPreferences(base(w), w.token("manage", "nobody")))).status).toBe(404);
  });
});

describe("unsubscribe", () => {
  it("leaves every fan-out partition with one 'withdrawn' record, counts once on its campaign, and holds when repeated", async () => {
    const w = world();
    w.active("sub-1", { missions: ["food-system", "mobility"], topics: ["news", "seminar"] });
    const feedback = new MemoryCampaignUnsubscribes();
    const deps = { ...base(w), feedback };
    const token = w.token("manage", "sub-1");
    const tag = campaignTag("announcement#01J");
    expect(await unsubscribe(deps, token, tag)).toEqual({ status: "unsubscribed", language: "sv" });
    expect(await unsubscribe(deps, token, tag)).toEqual({ status: "unsubscribed", language: "sv" });
    expect(w.store.memberships.size).toBe(0);
    expect((await w.store.ledger("sub-1")).map((r) => [r.event, r.source])).toEqual([["withdrawn", "email"]]);
    expect([...feedback.counted.values()]).toEqual(["announcement#01J"]);
    expect(w.stats.sum("food-system", "unsubscribed")).toBe(1);
  });

  it("answers 'gone' for someone erased, and refuses a forged token", async () => {
    const w = world();
    expect(await unsubscribe(base(w), w.token("manage", "nobody"))).toEqual({ status: "gone" });
    expect((await refusal(unsubscribe(base(w), "forged.token"))).code).toBe("invalid_token");
  });
});

describe("data rights", () => {
  const deps = (w: World) => ({ ...base(w), limiter: w.limiter, queue: w.mailQueue });

  it("emails a one-hour link rather than acting, at most five an hour, and refuses an unknown action", async () => {
    const w = world();
    w.active("sub-1");
    const token = w.token("manage", "sub-1");
    expect(await requestDataRights(deps(w), token, { action: "export" })).toEqual({ status: "sent", action: "export" });
    expect(w.mailJobs()[0]).toMatchObject({ kind: "data-export", subscriberId: "sub-1" });
    for (let i = 0; i < 4; i++) await requestDataRights(deps(w), token, { action: "erase" });
    expect((await refusal(requestDataRights(deps(w), token, { action: "erase" }))).status).toBe(429);
    expect((await refusal(requestDataRights(deps(w), token, { action: "delete" }))).fields![0]!.field).toBe("action");
    expect(w.mailJobs()).toHaveLength(5);
  });

  it("exports the profile, the consent ledger, delivery history and any suppression; a manage token is refused", async () => {
    const w = world();
    const id = await pending(w);
    await confirm(base(w), w.token("confirm", id));
    w.store.recordDelivery(id, { campaign: "digest#weekly#2026-W48", batch: 1, kind: "digest", subject: "Weekly", status: "sent", messageId: "m1", at: "2026-11-30T08:00:00.000Z", feedback: {} });
    await w.store.suppress(w.hmac("bo@example.org"), "soft-bounces", "2026-11-30T09:00:00.000Z");
    const data = await exportData(deps(w), w.dataToken(id, "export"));
    expect(data.subscriber).toMatchObject({ id, email: "bo@example.org", status: "active", language: "en", missions: ["food-system", "mobility"] });
    expect(data.consentLedger.map((r) => r.event)).toEqual(["requested", "confirmed"]);
    expect(data.deliveries).toEqual([expect.objectContaining({ campaign: "digest#weekly#2026-W48", messageId: "m1" })]);
    expect(data.suppression).toEqual({ reason: "soft-bounces", at: "2026-11-30T09:00:00.000Z" });
    expect((await refusal(exportData(deps(w), w.token("manage", id)))).code).toBe("invalid_token");
  });

  it("erasing leaves only the suppression HMAC and an anonymous 'erased' record, and repeating it is harmless", async () => {
    const w = world();
    const id = await pending(w);
    await confirm(base(w), w.token("confirm", id));
    w.store.recordDelivery(id, { campaign: "c", batch: 1, kind: "digest", subject: "S", status: "sent", at: "2026-11-30T08:00:00.000Z" });
    const token = w.dataToken(id, "erase");
    expect(await eraseData(deps(w), token)).toEqual({ status: "erased", language: "en" });
    // Erasing again (an interrupted erasure) works with a new link; the used one is refused.
    expect(await eraseData(deps(w), w.dataToken(id, "erase", "second-link"))).toEqual({ status: "erased" });
    expect([w.store.profiles.size, w.store.addresses.size, w.store.memberships.size, w.store.history.size]).toEqual([0, 0, 0, 0]);
    expect(w.store.records.get(id)).toEqual([{ id: expect.any(String), subscriberId: id, at: new Date(w.clock.now()).toISOString(), event: "erased" }]);
    expect([...w.store.suppressions]).toEqual([[w.hmac("bo@example.org"), { reason: "erased", at: new Date(w.clock.now()).toISOString() }]]);
    expect(JSON.stringify([...w.store.records, ...w.store.suppressions])).not.toContain("bo@example.org");
    expect((await refusal(exportData(deps(w), w.dataToken(id, "export")))).status).toBe(404);
    expect(w.stats.sum("mobility", "left")).toBe(1);
  });

  it("binds a link to its action: an export link never erases, an erase link never exports", async () => {
    const w = world();
    w.active("sub-1");
    const exportLink = w.dataToken("sub-1", "export");
    const err = await refusal(eraseData(deps(w), exportLink));
    expect([err.status, err.code]).toEqual([403, "wrong_link_action"]);
    expect(w.store.profiles.size).toBe(1);
    expect((await refusal(exportData(deps(w), w.dataToken("sub-1", "erase")))).code).toBe("wrong_link_action");
    // A data-rights token that names no action (as issued before links were bound) is not accepted.
    expect((await refusal(eraseData(deps(w), w.token("data-rights", "sub-1")))).code).toBe("invalid_token");
    expect(w.store.profiles.size).toBe(1);
  });

  it("an erase link works once and an export link three times, then 410 link_used", async () => {
    const w = world();
    w.active("sub-1");
    const exportLink = w.dataToken("sub-1", "export");
    for (let i = 0; i < 3; i++) expect((await exportData(deps(w), exportLink)).subscriber.id).toBe("sub-1");
    const used = await refusal(exportData(deps(w), exportLink));
    expect([used.status, used.code]).toEqual([410, "link_used"]);
    // Another export link (a new email) is counted on its own.
    expect((await exportData(deps(w), w.dataToken("sub-1", "export", "another"))).subscriber.id).toBe("sub-1");

    const eraseLink = w.dataToken("sub-1", "erase");
    await eraseData(deps(w), eraseLink);
    const again = await refusal(eraseData(deps(w), eraseLink));
    expect([again.status, again.code]).toEqual([410, "link_used"]);
  });

  it("an erasure that fails gives its link's use back, so the same link can finish it", async () => {
    const w = world();
    w.active("sub-1");
    const link = w.dataToken("sub-1", "erase");
    const erase = w.store.erase.bind(w.store);
    w.store.erase = async () => {
      throw new Error("table unavailable");
    };
    await expect(eraseData(deps(w), link)).rejects.toThrow("table unavailable");
    w.store.erase = erase;
    expect(await eraseData(deps(w), link)).toMatchObject({ status: "erased" });
    expect(w.store.profiles.size).toBe(0);
  });

  it("keeps the first suppression reason when someone suppressed is erased", async () => {
    const w = world();
    w.active("sub-1");
    await w.store.suppress(w.hmac("sub-1@example.org"), "hard-bounce", "2026-01-01T00:00:00.000Z");
    await eraseData(deps(w), w.dataToken("sub-1", "erase"));
    expect(await w.store.suppression(w.hmac("sub-1@example.org"))).toEqual({ reason: "hard-bounce", at: "2026-01-01T00:00:00.000Z" });
  });
});
