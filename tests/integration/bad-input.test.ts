import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { ROUTES, type RouteSpec } from "../../packages/functions/src/routes";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

/**
 * Hostile and malformed input, generated with fast-check, against every public route, the webhook,
 * every staff route and every event and queue message type. Targets: no 5xx, no unhandled rejection,
 * nothing stored for a refused request, and every 4xx names its problem (a snake_case code and a
 * sentence for JSON, a page in the visitor's language for HTML).
 *
 * `BAD_INPUT_RUNS` sets how many requests in all (`npm run test:reliability` runs 10,000); `npm test`
 * runs a smaller number, which checks the same properties.
 */
const TOTAL_RUNS = Number(process.env.BAD_INPUT_RUNS ?? 1200);
const EVENT_RUNS = Math.max(50, Math.round(TOTAL_RUNS / 10));
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20261123);

let h: Harness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_IP: "100000", RATE_LIMIT_PER_ADDRESS: "100000" });
  process.on("unhandledRejection", onUnhandled);
  // Something real to aim at: a subscriber whose id forged tokens can name.
  await h.subscribe({ email: "target@example.org" });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.stop();
});

const KEYS = TEST_SECRETS.TOKEN_KEYS.split(",");
const b64 = (s: string) => Buffer.from(s).toString("base64url");
const DAY = 86_400_000;

/** Strings people and bots send that have broken things elsewhere. */
const HOSTILE = [
  "",
  " ",
  "\u0000",
  "a\r\nBcc: victim@example.org",
  "x@example.org\r\nSubject: hi",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "{{unsubscribeUrl}}",
  "((subject))",
  "../../etc/passwd",
  "%00%0d%0a",
  "' OR '1'='1",
  "🙂".repeat(300),
  "x".repeat(5000),
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e309",
];

const tokenArb = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 200 }),
  fc.tuple(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 })).map(([a, b]) => `${b64(a)}.${b64(b)}`),
  // Right shape and signature, wrong type or long expired.
  fc.constantFrom("manage", "confirm", "data-rights").map((t) => issueToken(KEYS, t as "manage", "01TARGET", Date.now() - 800 * DAY)),
  fc.constantFrom("manage", "confirm", "data-rights").map((t) => issueToken(["not-our-key-0000000000000"], t as "manage", "01TARGET", Date.now())),
  // A valid signature over a payload that is not what we issue.
  fc.json().map((j) => {
    const payload = b64(j);
    return `${payload}.${createHmac("sha256", KEYS[0]!).update(payload).digest("base64url")}`;
  }),
);

const jwtArb = fc.oneof(
  fc.constant(`${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"sub":"x","cognito:groups":["staff"]}')}.`),
  fc.tuple(fc.json(), fc.json()).map(([h1, p]) => `${b64(h1)}.${b64(p)}.${b64("sig")}`),
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 300 }),
);

/** A valid sign-up body, to mutate one field at a time (the most revealing kind of bad input). */
const signUp = { email: "someone@example.org", language: "sv", missions: ["food-system"], topics: ["seminar"], cadence: "weekly", consent: { newsletter: true, policyVersion: "2026-11" } };
const valueArb = fc.oneof(fc.json().map((j) => JSON.parse(j) as unknown), fc.constantFrom<unknown>(...HOSTILE), fc.constantFrom<unknown>(null, true, 0, -1, 1e308, [], {}, [[]], { $ne: 1 }));
const mutatedArb = fc.tuple(fc.constantFrom(...Object.keys(signUp), "website", "__proto__", "extra"), valueArb).map(([key, value]) => JSON.stringify({ ...signUp, [key]: value }));

const bodyArb: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.json().map((j) => j),
  mutatedArb,
  fc.string({ maxLength: 500 }),
  fc.constantFrom("{", "[1,2", '{"a":', "null", '"str"', "1e999", "\u0000"),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from([0xff, 0xfe, ...a])), // never valid UTF-8
  fc.integer({ min: 17_000, max: 1_100_000 }).map((n) => "x".repeat(n)),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE)).map((d) => new URLSearchParams(d).toString()),
  fc.constantFrom("List-Unsubscribe=One-Click", "action=erase", "missions=food-system&topics=seminar"),
);

const contentTypeArb = fc.constantFrom(undefined, "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/json; charset=latin1", "\r\nX: y");

interface Attempt {
  route: RouteSpec;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  authorization: string | undefined;
  signature: string | undefined;
  body: string | Buffer | undefined;
}

const attemptArb = (route: RouteSpec): fc.Arbitrary<Attempt> =>
  fc.record({
    route: fc.constant(route),
    path: fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE.filter((s) => s.length < 100 && s.trim())), fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom("food-system", "nope")), { minLength: 3, maxLength: 3 })
      .map((parts) => {
        let i = 0;
        return route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(parts[i++]!));
      }),
    query: fc.record(
      { token: tokenArb, lang: fc.oneof(fc.constantFrom("sv", "en", "fr", ""), fc.string({ maxLength: 20 })), limit: fc.oneof(fc.constantFrom("0", "-1", "1e9", "abc", "5"), fc.string({ maxLength: 5 })), days: fc.string({ maxLength: 5 }), download: fc.constantFrom("1", "x") },
      { requiredKeys: [] },
    ),
    contentType: contentTypeArb,
    authorization: fc.option(fc.oneof(jwtArb.map((t) => `Bearer ${t}`), fc.constantFrom("Basic abc", "Bearer", "bearer  ", "Bearer test-staff-token-0000000000")), { nil: undefined }),
    signature: fc.option(fc.oneof(fc.constantFrom("sha256=", "sha256=00", "md5=abc"), fc.string({ maxLength: 80 }).map((s) => `sha256=${s}`)), { nil: undefined }),
    body: route.method === "GET" ? fc.constant(undefined) : bodyArb,
  });

async function itemCount(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.doc.send(new ScanCommand({ TableName: h.cloud.tableName, Select: "COUNT", ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

async function send(a: Attempt) {
  const url = new URL(a.path, h.cloud.urls.site);
  for (const [k, v] of Object.entries(a.query)) url.searchParams.set(k, v);
  // HTTP itself cannot carry CR, LF or non-Latin-1 in a header: clients refuse them before sending.
  const sendable = (v: string | undefined): v is string => v !== undefined && /^[\x20-\x7e]*$/.test(v);
  const headers: Record<string, string> = {};
  if (sendable(a.contentType)) headers["content-type"] = a.contentType;
  if (sendable(a.authorization)) headers.authorization = a.authorization;
  if (sendable(a.signature)) headers["x-signature-256"] = a.signature;
  const res = await fetch(url, { method: a.route.method, headers, ...(a.body !== undefined ? { body: a.body } : {}), redirect: "manual" });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

const httpRoutes = ROUTES;
const figures: Record<string, unknown> = {};
const writeFigures = () => {
  mkdirSync("test-results/reliability", { recursive: true });
  writeFileSync("test-results/reliability/bad-input.json", JSON.stringify(figures, null, 2));
};
const perRoute = Math.max(20, Math.ceil(TOTAL_RUNS / httpRoutes.length));

it(`refuses ${perRoute * httpRoutes.length} malformed or hostile requests across all ${httpRoutes.length} routes with clear 4xx and stores nothing`, async () => {
  const seen = new Map<number, number>();
  for (const [n, route] of httpRoutes.entries()) {
    await fc.assert(
      fc.asyncProperty(attemptArb(route), async (a) => {
        // An accepted request before this one may still have work queued (a sign-up is decided by
        // its worker): let it finish, so that the count measures this request alone.
        await h.idle();
        const before = await itemCount();
        const res = await send(a);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const what = `${route.method} ${a.path} → ${res.status}: ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          if (res.type.includes("json")) {
            const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
            expect(body.error?.code, what).toMatch(/^[a-z][a-z0-9_]*$/);
            expect(typeof body.error?.message === "string" && body.error.message.length > 10, what).toBe(true);
          } else {
            expect(res.type, what).toContain("text/html");
            expect(res.text, what).toMatch(/<html lang="(sv|en)"/);
          }
          expect(await itemCount(), `${what}\nstored something`).toBe(before);
        }
        // Nothing the request carried is reflected unescaped into a page.
        if (res.type.includes("text/html")) expect(res.text, what).not.toMatch(/<script>alert|<img src=x onerror/);
      }),
      { numRuns: perRoute, seed: SEED + n, endOnFailure: true },
    );
  }
  expect(unhandled).toEqual([]);
  // Sanity: the generators reach refusals of many kinds, not just one.
  expect([...seen.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(5);
  figures.http = {
    routes: httpRoutes.length,
    requests: [...seen.values()].reduce((a, b) => a + b, 0),
    byStatus: Object.fromEntries([...seen].sort(([a], [b]) => a - b)),
    serverErrors: [...seen].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0),
    unhandledRejections: unhandled.length,
    storedOnRefusal: 0,
  };
  writeFigures();
}, 900_000);

/** The shape of an EventBridge event around a hostile detail. */
const eventArb = (source: fc.Arbitrary<string>, detailType: fc.Arbitrary<string>) =>
  fc.record({
    version: fc.constant("0"),
    id: fc.oneof(fc.uuid(), fc.constantFrom("", "x")),
    source,
    "detail-type": detailType,
    account: fc.constant("000000000000"),
    time: fc.constant(new Date().toISOString()),
    region: fc.constant("eu-north-1"),
    resources: fc.constant([]),
    detail: fc.oneof(fc.json().map((j) => JSON.parse(j) as unknown), fc.record({ eventType: fc.constantFrom("Bounce", "Complaint", "Rendering Failure", "Delivery", "Nope"), mail: valueArb, bounce: valueArb, complaint: valueArb })),
  });

it(`dead-letters ${EVENT_RUNS * 4} hostile events and queue messages with a reason, never crashing or storing`, async () => {
  // The event functions on the local cloud's wiring, as its bus invokes them.
  const content = (await import("../../packages/functions/src/events/content")).run;
  const feedback = (await import("../../packages/functions/src/events/ses-feedback")).run;
  const context = { awsRequestId: randomUUID() } as never;
  const before = await itemCount();
  const deadBefore = { content: h.cloud.contentDeadLetters.items.length, feedback: h.cloud.feedbackDeadLetters.items.length };

  await fc.assert(
    fc.asyncProperty(eventArb(fc.constantFrom("missions.content", "evil"), fc.constantFrom("content.published", "content.updated", "content.unpublished", "x")), async (e) => {
      await content(e as never, context, h.cloud.wiring);
    }),
    { numRuns: EVENT_RUNS, seed: SEED },
  );
  await fc.assert(
    fc.asyncProperty(eventArb(fc.constantFrom("aws.ses", "evil"), fc.constantFrom("Email Bounced", "Email Complaint Received", "Email Rendering Failed", "x")), async (e) => {
      await feedback(e as never, context, h.cloud.wiring);
    }),
    { numRuns: EVENT_RUNS, seed: SEED + 1 },
  );
  // Queue bodies: the send queue and the plan queue take them as SQS would deliver them.
  const messages = fc.sample(fc.oneof(fc.json(), fc.string({ maxLength: 300 }), mutatedArb, fc.constantFrom('{"kind":"batch","campaign":"x","batch":-1}', '{"kind":"plan-digest","cadence":"hourly"}')), { numRuns: EVENT_RUNS * 2, seed: SEED + 2 });
  for (const [i, body] of messages.entries()) (i % 2 ? h.cloud.planQueue : h.cloud.sendQueue).sendRaw(body);
  await h.idle();

  expect(h.cloud.contentDeadLetters.items.length - deadBefore.content).toBeGreaterThan(EVENT_RUNS / 2);
  expect(h.cloud.feedbackDeadLetters.items.length - deadBefore.feedback).toBeGreaterThan(EVENT_RUNS / 2);
  const poison = [...h.cloud.sendQueue.deadLetters, ...h.cloud.planQueue.deadLetters];
  expect(poison.length).toBe(messages.length);
  for (const d of [...poison, ...h.cloud.contentDeadLetters.items, ...h.cloud.feedbackDeadLetters.items]) expect(d.reason.length).toBeGreaterThan(5);
  expect(await itemCount()).toBe(before);
  expect(unhandled).toEqual([]);
  figures.events = {
    contentEvents: EVENT_RUNS,
    sesEvents: EVENT_RUNS,
    queueMessages: messages.length,
    deadLettered: h.cloud.contentDeadLetters.items.length - deadBefore.content + h.cloud.feedbackDeadLetters.items.length - deadBefore.feedback + poison.length,
    stored: 0,
    unhandledRejections: unhandled.length,
  };
  writeFigures();
}, 900_000);
