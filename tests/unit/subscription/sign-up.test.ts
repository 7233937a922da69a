import { describe, expect, it } from "vitest";
import { confirm } from "../../../packages/core/src/subscription";
import { sendTransactional } from "../../../packages/core/src/campaigns";
import { nextDigestRun } from "../../../packages/core/src/digest";
import { AppError } from "../../../packages/core/src/shared/errors";
import { TOKEN_LIFETIMES } from "../../../packages/core/src/shared/tokens";
import { PEPPER, POLICY, subscribeNow as subscribe, world, type SignUpNowDeps as SubscribeDeps, type World } from "../../fakes";

const settings = { addressPepper: PEPPER, ipSalt: "salt", rateLimitPerAddress: 3, rateLimitPerIp: 5, rateWindowSeconds: 3600 };
const deps = (w: World): SubscribeDeps => ({ store: w.store, limiter: w.limiter, queue: w.mailQueue, clock: w.clock, ids: w.ids, settings });
const body = (over: Record<string, unknown> = {}) => ({
  email: "Anna@Example.ORG",
  language: "sv",
  missions: ["food-system"],
  topics: ["news", "seminar"],
  cadence: "weekly",
  consent: { newsletter: true, policyVersion: POLICY, cookies: { functional: true, statistics: false } },
  ...over,
});
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};
const transactional = (w: World) => ({
  store: w.store,
  mailer: w.mailer,
  clock: w.clock,
  tokenKeys: w.tokenKeys,
  publicUrl: "https://mail.example.org",
  unsubscribeMailto: "unsubscribe@mail.example.org",
  nextDigestRun,
  replyTo: "Missions <info@mail.example.org>",
});

describe("sign-up", () => {
  it("stores a pending subscriber with a TTL, a 'requested' ledger record with the server's text, and queues a confirmation", async () => {
    const w = world();
    expect(await subscribe(deps(w), body(), { ip: "192.0.2.1", source: "web" })).toEqual({ status: "pending" });
    const s = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    expect(s).toMatchObject({ status: "pending", email: "Anna@example.org", missions: ["food-system"], cadence: "weekly", tracking: false });
    expect(s.expiresAt).toBe(Math.floor(w.clock.now() / 1000) + TOKEN_LIFETIMES.confirm);
    const [record] = await w.store.ledger(s.id);
    expect(record).toMatchObject({ event: "requested", source: "web", policyVersion: POLICY, cookies: { functional: true, statistics: false } });
    expect(record!.text.length).toBeGreaterThan(20);
    expect(record!.ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record!.ipHash).not.toContain("192.0.2.1");
    expect(w.mailJobs()).toEqual([{ kind: "confirm", subscriberId: s.id, requestId: record!.id }]);
  });

  it("names every bad field in one 400 and stores nothing", async () => {
    const w = world();
    const err = await refusal(subscribe(deps(w), body({ email: "not-an-address", language: "fi", missions: ["no-such-mission"], topics: [], cadence: "hourly" }), { source: "api" }));
    expect(err.status).toBe(400);
    expect(err.code).toBe("validation_failed");
    expect(err.fields!.map((f) => f.field).sort()).toEqual(["cadence", "email", "language", "missions.0", "topics"]);
    expect(w.store.profiles.size + w.mailQueue.jobs.length).toBe(0);
  });

  it("refuses a retired mission as unknown", async () => {
    const err = await refusal(subscribe(deps(world()), body({ missions: ["old-mission"] }), { source: "api" }));
    expect(err.fields).toEqual([{ field: "missions.0", message: 'Unknown mission "old-mission".' }]);
  });

  it("requires consent.newsletter true (422 consent_required) and a known policy version (422 unknown_policy_version)", async () => {
    const w = world();
    expect((await refusal(subscribe(deps(w), body({ consent: { policyVersion: POLICY } }), { source: "api" }))).code).toBe("consent_required");
    const err = await refusal(subscribe(deps(w), body({ consent: { newsletter: true, policyVersion: "1999-01" } }), { source: "api" }));
    expect([err.status, err.code]).toEqual([422, "unknown_policy_version"]);
    expect(w.store.profiles.size + w.mailQueue.jobs.length).toBe(0);
  });

  it("answers a filled honeypot like a success, storing and queueing nothing", async () => {
    const w = world();
    expect(await subscribe(deps(w), body({ website: "http://spam.example" }), { source: "web" })).toEqual({ status: "pending" });
    expect(w.store.profiles.size + w.mailQueue.jobs.length + w.limiter.hits.size).toBe(0);
  });

  it("limits sign-ups per address, with Retry-After to the end of the window, and queues no more mail", async () => {
    const w = world();
    for (let i = 0; i < 3; i++) await subscribe(deps(w), body(), { source: "api" });
    const err = await refusal(subscribe(deps(w), body({ email: "ANNA@example.org " }), { source: "api" }));
    expect([err.status, err.code]).toEqual([429, "rate_limited"]);
    expect(Number(err.headers!["Retry-After"])).toBeGreaterThan(0);
    expect(Number(err.headers!["Retry-After"])).toBeLessThanOrEqual(3600);
    expect(w.mailJobs()).toHaveLength(3);
    w.clock.advance(3600_000);
    await expect(subscribe(deps(w), body(), { source: "api" })).resolves.toEqual({ status: "pending" });
  });

  it("limits sign-ups per IP across different addresses", async () => {
    const w = world();
    for (let i = 0; i < 5; i++) await subscribe(deps(w), body({ email: `p${i}@example.org` }), { ip: "198.51.100.7", source: "web" });
    const err = await refusal(subscribe(deps(w), body({ email: "p9@example.org" }), { ip: "198.51.100.7", source: "web" }));
    expect(err.message).toMatch(/network/);
    await expect(subscribe(deps(w), body({ email: "p9@example.org" }), { ip: "198.51.100.8", source: "web" })).resolves.toEqual({ status: "pending" });
  });

  it("a repeat sign-up while pending keeps the id, takes the new choices, refreshes the TTL and sends a new confirmation", async () => {
    const w = world();
    await subscribe(deps(w), body(), { source: "api" });
    const first = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    w.clock.advance(3600_000);
    await subscribe(deps(w), body({ missions: ["mobility"], language: "en" }), { source: "api" });
    const again = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    expect(again).toMatchObject({ id: first.id, createdAt: first.createdAt, missions: ["mobility"], language: "en" });
    expect(again.expiresAt).toBe(first.expiresAt! + 3600);
    expect((await w.store.ledger(first.id)).map((r) => r.event)).toEqual(["requested", "requested"]);
    expect(w.mailJobs().map((j) => [j.kind, j.subscriberId])).toEqual([["confirm", first.id], ["confirm", first.id]]);
  });

  it("answers an active address the same, queueing a preferences link instead, and changing nothing", async () => {
    const w = world();
    const anna = w.active("sub-anna", { email: "anna@example.org" });
    expect(await subscribe(deps(w), body({ email: "anna@example.org", missions: ["mobility"] }), { source: "api" })).toEqual({ status: "pending" });
    expect(w.mailJobs().map((j) => [j.kind, j.subscriberId])).toEqual([["already-subscribed", anna.id]]);
    expect((await w.store.getSubscriber(anna.id, w.clock.now()))!.missions).toEqual(["food-system"]);
  });

  it("treats a pending sign-up past its TTL as gone, even before it is deleted: a new sign-up starts afresh", async () => {
    const w = world();
    await subscribe(deps(w), body(), { source: "api" });
    const first = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    w.clock.advance((TOKEN_LIFETIMES.confirm + 1) * 1000);
    expect(await w.store.getSubscriber(first.id, w.clock.now())).toBeUndefined();
    await subscribe(deps(w), body(), { source: "api" });
    const second = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    expect(second.id).not.toBe(first.id);
  });

  it("a suppressed address gets no mail at all: the confirmation is skipped at send time", async () => {
    const w = world();
    await w.store.suppress(w.hmac("Anna@example.org"), "complaint", "2026-01-01T00:00:00.000Z");
    await subscribe(deps(w), body(), { source: "api" });
    const [job] = w.mailJobs();
    expect(await sendTransactional(transactional(w), job!)).toBe("skipped_suppressed");
    expect(w.mailer.sent).toEqual([]);
  });

  it("an erased address may sign up again: it is asked to confirm, and confirming lifts the 'erased' suppression only", async () => {
    const w = world();
    const h = w.hmac("Anna@example.org");
    await w.store.suppress(h, "erased", "2026-01-01T00:00:00.000Z");
    await subscribe(deps(w), body(), { source: "api" });
    const [job] = w.mailJobs();
    expect(await sendTransactional(transactional(w), job!)).toBe("sent");
    expect(w.mailer.sent[0]!.to).toBe("Anna@example.org");
    await confirm({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys }, w.token("confirm", job!.subscriberId));
    expect(await w.store.isSuppressed(h)).toBe(false);
  });

  it("retries once when another request for the same address wins the race, then answers 409", async () => {
    const w = world();
    const racing = deps(w);
    let calls = 0;
    racing.store = Object.assign(Object.create(w.store), { createPending: async () => (calls++, "exists" as const), findByAddress: async () => undefined });
    const err = await refusal(subscribe(racing, body(), { source: "api" }));
    expect([err.status, calls]).toEqual([409, 2]);
  });
});

describe("transactional mail", () => {
  it("sends a confirmation once per request id: a redelivered job is a duplicate, a failed send gives the claim back", async () => {
    const w = world();
    await subscribe(deps(w), body(), { source: "api" });
    const [job] = w.mailJobs();
    w.mailer.sendErrors.push(Object.assign(new Error("rejected"), { name: "MessageRejected", $metadata: { httpStatusCode: 400 } }));
    await expect(sendTransactional(transactional(w), job!)).rejects.toThrow();
    expect(await sendTransactional(transactional(w), job!)).toBe("sent");
    expect(await sendTransactional(transactional(w), job!)).toBe("skipped_duplicate");
    expect(w.mailer.sent).toHaveLength(1);
    expect(w.mailer.sent[0]!.html).toContain("/confirm?token=");
  });

  it("skips a confirmation for someone no longer pending", async () => {
    const w = world();
    const anna = w.active("sub-anna");
    expect(await sendTransactional(transactional(w), { kind: "confirm", subscriberId: anna.id, requestId: "r1" })).toBe("skipped_state");
  });
});

describe("sign-up answers do not tell who is subscribed", () => {
  it("an active address gets the same answer after the same kind of store write and enqueue as a new one", async () => {
    const w = world();
    w.active("sub-1", { email: "known@example.org" });
    expect(await subscribe(deps(w), body({ email: "known@example.org" }), { source: "api" })).toEqual({ status: "pending" });
    expect(w.store.repeatSignUps.size).toBe(1);
    const [requestId] = [...w.store.repeatSignUps.keys()];
    expect(w.mailJobs()).toEqual([{ kind: "already-subscribed", subscriberId: "sub-1", requestId }]);
  });
});
