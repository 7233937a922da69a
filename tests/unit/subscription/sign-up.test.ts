import { describe, expect, it } from "vitest";
import { confirm, processSignUp, requestSignUp, SIGN_UP_REQUEST_SECONDS, type RequestMeta, type SignUpRequestDeps, type SignUpWorkerDeps } from "../../../packages/core/src/subscription";
import { sendTransactional } from "../../../packages/core/src/campaigns";
import { nextDigestRun } from "../../../packages/core/src/digest";
import { AppError } from "../../../packages/core/src/shared/errors";
import { TOKEN_LIFETIMES } from "../../../packages/core/src/shared/tokens";
import { PEPPER, POLICY, subscribeNow, subscribeNow as subscribe, world, type SignUpNowDeps as SubscribeDeps, type World } from "../../fakes";

const settings = { addressPepper: PEPPER, ipSalt: "salt", rateLimitPerAddress: 3, rateLimitPerIp: 5, rateWindowSeconds: 3600 };
const deps = (w: World): SubscribeDeps => ({ store: w.store, limiter: w.limiter, queue: w.mailQueue, clock: w.clock, ids: w.ids, settings });
const requestDeps = (w: World): SignUpRequestDeps => ({ store: w.store, limiter: w.limiter, queue: w.signUpQueue, clock: w.clock, ids: w.ids, settings });
const worker = (w: World): SignUpWorkerDeps => ({ store: w.store, queue: w.mailQueue, clock: w.clock });
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

  it("decides again once when another request for the same address was decided first, then leaves it to the queue's retry", async () => {
    const w = world();
    const request = requestDeps(w);
    await requestSignUp(request, body(), { source: "api" });
    const [job] = w.signUpQueue.drain();
    let calls = 0;
    const racing = { ...worker(w), store: Object.assign(Object.create(w.store), { createPending: async () => (calls++, "exists" as const), findByAddress: async () => undefined }) };
    await expect(processSignUp(racing, job!.requestId)).rejects.toThrow(/retries/);
    expect(calls).toBe(2);
    expect(w.mailJobs()).toEqual([]);
    // The request stays for the retry, which decides it.
    expect(await processSignUp(worker(w), job!.requestId)).toMatchObject({ outcome: "confirmation_queued" });
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
  /** A store on which the request path may not look an address up: only the worker may. */
  const blind = (w: World) =>
    Object.assign(Object.create(w.store), {
      findByAddress: async () => {
        throw new Error("the request path read an address's state");
      },
      getSubscriber: async () => {
        throw new Error("the request path read a subscriber");
      },
    }) as typeof w.store;

  it("the request path does the same work for a new, a pending and an active address: one stored request, one queued id, the same answer", async () => {
    const w = world();
    w.active("sub-1", { email: "active@example.org" });
    await subscribeNow(deps(w), body({ email: "pending@example.org" }), { source: "api" });
    const before = { profiles: w.store.profiles.size, ledger: [...w.store.records.values()].flat().length, mail: w.mailJobs().length };
    const request = { ...requestDeps(w), store: blind(w) };
    for (const email of ["new@example.org", "pending@example.org", "active@example.org"]) {
      expect(await requestSignUp(request, body({ email }), { ip: "192.0.2.1", source: "web" })).toEqual({ status: "pending" });
    }
    const jobs = w.signUpQueue.bodies;
    expect(jobs.map((j) => Object.keys(j).sort())).toEqual([["kind", "requestId"], ["kind", "requestId"], ["kind", "requestId"]]);
    expect(new Set(jobs.map((j) => j.requestId)).size).toBe(3);
    // Nothing about any subscriber changed, and no mail was queued, before the worker ran.
    expect({ profiles: w.store.profiles.size, ledger: [...w.store.records.values()].flat().length, mail: w.mailJobs().length }).toEqual(before);
    expect(w.store.signUpRequests.size).toBe(3);
    // The queue carries ids only, never the address.
    expect(JSON.stringify(jobs)).not.toContain("@");
  });

  it("a refused request stores nothing and queues nothing", async () => {
    const w = world();
    await expect(requestSignUp(requestDeps(w), body({ email: "nope" }), { source: "api" })).rejects.toBeInstanceOf(AppError);
    await expect(requestSignUp(requestDeps(w), body({ consent: { newsletter: false, policyVersion: POLICY } }), { source: "api" })).rejects.toBeInstanceOf(AppError);
    expect(w.store.signUpRequests.size + w.signUpQueue.jobs.length).toBe(0);
  });
});

describe("the sign-up worker", () => {
  const requested = async (w: World, over: Record<string, unknown> = {}, meta: RequestMeta = { ip: "192.0.2.9", source: "web" }) => {
    await requestSignUp(requestDeps(w), body(over), meta);
    const [job] = w.signUpQueue.drain();
    return job!.requestId;
  };

  it("a new address: pending with a TTL, a 'requested' record with the request's consent context and time, a confirmation queued, the request gone", async () => {
    const w = world();
    const requestedAt = w.clock.now();
    const id = await requested(w);
    w.clock.advance(5_000); // the worker runs a little later; the consent is still dated to the request
    expect(await processSignUp(worker(w), id)).toEqual({ outcome: "confirmation_queued", subscriberId: expect.any(String) });
    const s = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    expect(s).toMatchObject({ status: "pending", email: "Anna@example.org", missions: ["food-system"], topics: ["news", "seminar"], cadence: "weekly", createdAt: new Date(requestedAt).toISOString() });
    expect(s.expiresAt).toBe(Math.floor(requestedAt / 1000) + TOKEN_LIFETIMES.confirm);
    const [record] = await w.store.ledger(s.id);
    expect(record).toMatchObject({ id, event: "requested", at: new Date(requestedAt).toISOString(), source: "web", policyVersion: POLICY, cookies: { functional: true, statistics: false } });
    expect(record!.ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record!.text.length).toBeGreaterThan(20);
    expect(w.mailJobs()).toEqual([{ kind: "confirm", subscriberId: s.id, requestId: id }]);
    expect(w.store.signUpRequests.size).toBe(0);
  });

  it("a pending address: the new choices and a second record, and a confirmation again", async () => {
    const w = world();
    await subscribeNow(deps(w), body(), { source: "api" });
    const first = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    const id = await requested(w, { missions: ["mobility"], language: "en" }, { ip: "192.0.2.10", source: "api" });
    expect(await processSignUp(worker(w), id)).toEqual({ outcome: "confirmation_queued", subscriberId: first.id });
    expect(await w.store.getSubscriber(first.id, w.clock.now())).toMatchObject({ status: "pending", missions: ["mobility"], language: "en" });
    const ledger = await w.store.ledger(first.id);
    expect(ledger.map((r) => [r.event, r.id, (r as { source?: string }).source])).toEqual([["requested", ledger[0]!.id, "api"], ["requested", id, "api"]]);
    expect(w.mailJobs().at(-1)).toEqual({ kind: "confirm", subscriberId: first.id, requestId: id });
  });

  it("an active address: nothing changes, no record is written, and the preferences link is queued", async () => {
    const w = world();
    const anna = w.active("sub-anna", { email: "anna@example.org" });
    const id = await requested(w, { email: "anna@example.org", missions: ["mobility"] });
    const ledgerBefore = await w.store.ledger(anna.id);
    expect(await processSignUp(worker(w), id)).toEqual({ outcome: "already_subscribed", subscriberId: anna.id });
    expect(await w.store.getSubscriber(anna.id, w.clock.now())).toMatchObject({ status: "active", missions: ["food-system"] });
    expect(await w.store.ledger(anna.id)).toEqual(ledgerBefore);
    expect(w.mailJobs()).toEqual([{ kind: "already-subscribed", subscriberId: anna.id, requestId: id }]);
    const sent = await sendTransactional(transactional(w), w.mailJobs()[0]!);
    expect(sent).toBe("sent");
    expect(w.mailer.sent[0]!.html).toContain("/preferences?token=");
  });

  it("is idempotent: a message redelivered after a crash before the request was finished writes nothing twice and sends one confirmation", async () => {
    const w = world();
    const id = await requested(w);
    // The first delivery writes the subscriber, then fails to queue the confirmation (the worker dies).
    const failing = { ...worker(w), queue: { enqueue: async () => Promise.reject(new Error("SQS unavailable")), enqueueMany: async () => undefined } };
    await expect(processSignUp(failing, id)).rejects.toThrow("SQS unavailable");
    // Redelivered twice: once before the request is finished, once after.
    expect(await processSignUp(worker(w), id)).toMatchObject({ outcome: "confirmation_queued" });
    expect(await processSignUp(worker(w), id)).toEqual({ outcome: "gone" });
    const s = (await w.store.findByAddress(w.hmac("Anna@example.org"), w.clock.now()))!;
    expect((await w.store.ledger(s.id)).map((r) => r.id)).toEqual([id]);
    // Had the confirmation been queued by both deliveries, the claim on the request id sends it once.
    const job = w.mailJobs()[0]!;
    expect(await sendTransactional(transactional(w), job)).toBe("sent");
    expect(await sendTransactional(transactional(w), { ...job })).toBe("skipped_duplicate");
    expect(w.mailer.sent).toHaveLength(1);
  });

  it("answers 'invalid' with the reason for a stored request that is not one, and 'gone' for an expired one", async () => {
    const w = world();
    w.store.signUpRequests.set("bad-1", { request: { id: "bad-1", email: "x@example.org", language: "fi" }, expiresAt: Math.floor(w.clock.now() / 1000) + 60 });
    const bad = await processSignUp(worker(w), "bad-1");
    expect(bad.outcome).toBe("invalid");
    expect(bad.outcome === "invalid" && bad.reason).toMatch(/bad-1.*language/);
    const id = await requested(w);
    w.clock.advance((SIGN_UP_REQUEST_SECONDS + 1) * 1000);
    expect(await processSignUp(worker(w), id)).toEqual({ outcome: "gone" });
    expect(w.mailJobs()).toEqual([]);
    expect(w.store.profiles.size).toBe(0);
  });
});
