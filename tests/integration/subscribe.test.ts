import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { linkToken, signUp, startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_ADDRESS: "3", RATE_LIMIT_PER_IP: "1000" });
});
afterAll(() => h?.stop());

const keys = TEST_SECRETS.TOKEN_KEYS.split(",");

async function subscribeAndGetMail(body: Record<string, unknown>) {
  const res = await h.request("POST", "/api/subscriptions", { json: body });
  expect(res.status).toBe(202);
  await h.drain();
  return h.mailTo(body.email as string);
}

describe("catalogue and consent", () => {
  it("lists the seeded missions with sv and en names and example.org contacts", async () => {
    const res = await h.request("GET", "/api/missions");
    expect(res.status).toBe(200);
    const ids = res.body.missions.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["food-system", "mobility", "vision-driven-health", "impact-innovation", "societal-contract"]));
    for (const m of res.body.missions) {
      expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.name.sv && m.name.en && m.description.sv && m.description.en).toBeTruthy();
      expect(m.contact).toMatch(/@example\.org$/);
    }
  });

  it("returns the current consent policy in both languages", async () => {
    const res = await h.request("GET", "/api/consent");
    expect(res.status).toBe(200);
    expect(res.body.policyVersion).toBe("2026-11");
    expect(res.body.text.sv).toMatch(/e-post/);
    expect(res.body.text.en).toMatch(/email/);
  });
});

describe("double opt-in", () => {
  it("emails a confirmation in the subscriber's language; only POST confirm activates", async () => {
    const body = signUp({ language: "sv", missions: ["food-system", "mobility"] });
    const [mail, ...more] = await subscribeAndGetMail(body);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe("Bekräfta din prenumeration på Missions");
    expect(mail!.body.html).toContain('<html lang="sv"');
    expect(mail!.body.text).toContain("Ett nytt recept för matsystemet");
    expect(mail!.body.html!.length).toBeLessThan(102 * 1024);

    const token = linkToken(mail!, "/confirm");
    const [address] = await h.partition(`ADDR#${(await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!.addressHmac}`);
    const subscriberId = address!.subscriberId as string;

    // The link opens a page with a button; opening it (as a mail scanner would) changes nothing.
    const page = await h.request("GET", `/confirm?token=${token}&lang=sv`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('method="post"');
    const [pending] = await h.partition(`SUB#${subscriberId}`).then((items) => items.filter((i) => i.SK === "PROFILE"));
    expect(pending!.status).toBe("pending");
    expect(typeof pending!.expiresAt).toBe("number");

    const confirmed = await h.request("POST", "/api/subscriptions/confirm", { json: { token } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ status: "active", alreadyConfirmed: false });

    const items = await h.partition(`SUB#${subscriberId}`);
    const profile = items.find((i) => i.SK === "PROFILE")!;
    expect(profile.status).toBe("active");
    expect(profile.expiresAt).toBeUndefined(); // TTL removed on confirmation
    expect(address!.expiresAt).toBeDefined();
    const [addressAfter] = await h.partition(`ADDR#${profile.addressHmac}`);
    expect(addressAfter!.expiresAt).toBeUndefined();
    // Memberships project into the fan-out index: one per mission and topic.
    const members = items.filter((i) => String(i.SK).startsWith("MEMBER#")).map((i) => i.GSI1PK).sort();
    expect(members).toEqual([
      "FANOUT#food-system#publication#weekly",
      "FANOUT#food-system#seminar#weekly",
      "FANOUT#mobility#publication#weekly",
      "FANOUT#mobility#seminar#weekly",
    ]);

    // Confirming twice is harmless, also through the page's form, which says it was done before.
    const again = await h.request("POST", "/api/subscriptions/confirm?lang=sv", {
      body: `token=${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(again.status).toBe(200);
    expect(again.text).toContain("Prenumerationen är redan bekräftad");
    expect((await h.partition(`SUB#${subscriberId}`)).filter((i) => i.type === "consent").map((i) => i.event)).toEqual(["requested", "confirmed"]);
  });

  it("answers the same for new, pending and active addresses, and emails a preferences link to the active one", async () => {
    const body = signUp();
    const first = await h.request("POST", "/api/subscriptions", { json: body });
    const second = await h.request("POST", "/api/subscriptions", { json: body });
    await h.drain();
    const [c1, c2] = await h.mailTo(body.email);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.text).toBe(second.text);
    expect(c1!.subject).toMatch(/Confirm/);
    expect(c2!.subject).toMatch(/Confirm/);
    // Only one subscriber exists for the address.
    expect((await h.allItems()).filter((i) => i.type === "subscriber" && i.email === body.email)).toHaveLength(1);

    await h.request("POST", "/api/subscriptions/confirm", { json: { token: linkToken(c2!, "/confirm") } });
    const third = await h.request("POST", "/api/subscriptions", { json: body });
    expect(third.status).toBe(202);
    expect(third.text).toBe(first.text);
    await h.drain();
    const mails = await h.mailTo(body.email);
    expect(mails.map((m) => m.subject)).toEqual(["Confirm your Missions subscription", "Confirm your Missions subscription", "Welcome to the Missions newsletter", "You already subscribe to Missions"]);
    expect(mails[3]!.body.text).toMatch(/\/preferences\?token=/);
    const profile = (await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!;
    expect(profile.status).toBe("active");
  });

  it("answers new, pending and active alike, API and form: the same status, headers and body, before the worker has looked the address up", async () => {
    /** What a response shows: its status, its headers but the date, and its body. */
    const shown = (res: { status: number; headers: Headers; text: string }) => ({
      status: res.status,
      headers: [...res.headers.entries()].filter(([name]) => name !== "date").sort(),
      body: res.text,
    });
    const form = (email: string) =>
      new URLSearchParams([["lang", "en"], ["from", "/missions"], ["policyVersion", "2026-11"], ["missions", "food-system"], ["topics", "news"], ["cadence", "weekly"], ["language", "en"], ["email", email], ["consent", "yes"], ["website", ""]]).toString();
    const post = {
      api: (email: string) => h.request("POST", "/api/subscriptions", { json: signUp({ email }) }),
      form: (email: string) => h.request("POST", "/subscribe", { body: form(email), headers: { "content-type": "application/x-www-form-urlencoded", cookie: "mm_cookies=v1:f1:s0", "sec-fetch-site": "same-origin" } }),
    };
    for (const [kind, send] of Object.entries(post)) {
      const email = `same-${kind}-${Date.now()}@example.org`;
      const asNew = await send(email);
      await h.drain();
      const asPending = await send(email);
      await h.drain();
      const confirmation = (await h.mailTo(email)).filter((m) => /confirm/i.test(m.subject)).at(-1)!;
      expect((await h.request("POST", "/api/subscriptions/confirm", { json: { token: linkToken(confirmation, "/confirm") } })).status).toBe(200);
      await h.drain();
      const asActive = await send(email);
      await h.drain();
      expect(asNew.status, kind).toBe(kind === "api" ? 202 : 200);
      expect(shown(asPending), `${kind}: pending vs new`).toEqual(shown(asNew));
      expect(shown(asActive), `${kind}: active vs new`).toEqual(shown(asNew));
      // Behind the same answers, the worker sent what each case calls for.
      expect((await h.mailTo(email)).map((m) => m.subject)).toEqual([
        "Confirm your Missions subscription",
        "Confirm your Missions subscription",
        "Welcome to the Missions newsletter",
        "You already subscribe to Missions",
      ]);
    }
    // The requests were finished and removed; only ids ever went through the queue.
    expect((await h.allItems()).filter((i) => i.type === "signup-request")).toEqual([]);
  });

  it("normalises addresses: trims, lower-cases the domain and encodes IDN domains", async () => {
    const body = signUp({ email: "  Anna.Berg@ÅRE-Exempel.SE " });
    const res = await h.request("POST", "/api/subscriptions", { json: body });
    expect(res.status).toBe(202);
    await h.drain();
    const mails = await h.mailTo("Anna.Berg@xn--re-exempel-05a.se");
    expect(mails).toHaveLength(1);
  });
});

describe("the consent ledger", () => {
  it("records the server's text and hash for the policy version, the cookie choices, source and a salted IP hash", async () => {
    const body = signUp({ consent: { newsletter: true, policyVersion: "2026-11", cookies: { functional: true, statistics: true }, text: "I agree to anything" } });
    await h.request("POST", "/api/subscriptions", { json: body, headers: { "user-agent": "test" } });
    await h.drain();
    const profile = (await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!;
    const [record] = (await h.partition(`SUB#${profile.subscriberId}`)).filter((i) => i.type === "consent");
    const policy = (await h.request("GET", "/api/consent")).body;
    expect(record).toMatchObject({
      event: "requested",
      policyVersion: "2026-11",
      text: policy.text.en,
      missions: ["food-system"],
      topics: ["seminar", "publication"],
      cadence: "weekly",
      cookies: { functional: true, statistics: true },
      source: "api",
    });
    expect(record!.textHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record!.ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain("127.0.0.1");
    expect(JSON.stringify(record)).not.toContain("I agree to anything");
  });
});

describe("refusals store nothing", () => {
  const before = async () => (await h.allItems()).filter((i) => i.type !== "rate" && !String(i.PK).startsWith("RATE#")).length;

  it.each([
    ["malformed JSON", { body: "{not json", headers: { "content-type": "application/json" } }, "invalid_json"],
    ["an empty body", { body: "", headers: { "content-type": "application/json" } }, "invalid_json"],
    ["an oversize body", { json: signUp({ website: "x".repeat(20_000) }) }, "body_too_large"],
  ])("refuses %s with 4xx and the error envelope", async (_, init, code) => {
    const count = await before();
    const res = await h.request("POST", "/api/subscriptions", init as never);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/\w+ \w+/);
    expect(await before()).toBe(count);
  });

  // Which fields a validation failure names, the consent rules and the honeypot are the use case's
  // rules (tests/unit/subscription/sign-up.test.ts); here, that the HTTP API carries them.
  it("refuses wrong types and empty mission lists", async () => {
    const res = await h.request("POST", "/api/subscriptions", { json: signUp({ missions: [], topics: "seminar", email: 42 }) });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(["email", "missions", "topics"]);
  });

  it("requires consent.newsletter true (422 consent_required)", async () => {
    const count = await before();
    for (const consent of [{ policyVersion: "2026-11" }, { newsletter: false, policyVersion: "2026-11" }]) {
      const res = await h.request("POST", "/api/subscriptions", { json: signUp({ consent }) });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("consent_required");
    }
    expect(await before()).toBe(count);
  });
});

describe("tokens", () => {
  it("refuses a tampered token, a token of another type and an expired one", async () => {
    const body = signUp();
    const [mail] = await subscribeAndGetMail(body);
    const token = linkToken(mail!, "/confirm");
    const [payload, sig] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ t: "confirm", s: "someone-else", e: 9999999999 })).toString("base64url");
    for (const bad of [`${forgedPayload}.${sig}`, `${payload}.${sig!.slice(0, -2)}AA`, "garbage", ""]) {
      const res = await h.request("POST", "/api/subscriptions/confirm", { json: { token: bad } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_token");
    }
    const subscriberId = JSON.parse(Buffer.from(payload!, "base64url").toString()).s;
    const manage = issueToken(keys, "manage", subscriberId, Date.now());
    expect((await h.request("POST", "/api/subscriptions/confirm", { json: { token: manage } })).body.error.code).toBe("invalid_token");
    const expired = issueToken(keys, "confirm", subscriberId, Date.now() - 8 * 24 * 3600 * 1000);
    const res = await h.request("POST", "/api/subscriptions/confirm", { json: { token: expired } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("token_expired");
    // The form route shows the refusal as a page.
    const page = await h.request("POST", "/api/subscriptions/confirm?lang=sv", { body: "token=garbage", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(page.status).toBe(400);
    expect(page.text).toContain("Länken är inte giltig");
    // Still pending after all that.
    const profile = (await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!;
    expect(profile.status).toBe("pending");
  });

  it("accepts tokens signed with the previous key during rotation", async () => {
    const body = signUp();
    await subscribeAndGetMail(body);
    const profile = (await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!;
    const previousKeyToken = issueToken([keys[1]!], "confirm", profile.subscriberId as string, Date.now());
    const res = await h.request("POST", "/api/subscriptions/confirm", { json: { token: previousKeyToken } });
    expect(res.status).toBe(200);
  });
});

describe("expiry of pending sign-ups", () => {
  it("treats a pending subscriber past its TTL as gone, even before DynamoDB deletes it", async () => {
    const body = signUp();
    await subscribeAndGetMail(body);
    const profile = (await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!;
    const { UpdateCommand } = await import("@aws-sdk/lib-dynamodb");
    const past = Math.floor(Date.now() / 1000) - 60;
    for (const Key of [{ PK: profile.PK, SK: "PROFILE" }, { PK: `ADDR#${profile.addressHmac}`, SK: "ADDR" }]) {
      await h.doc.send(new UpdateCommand({ TableName: h.cloud.tableName, Key, UpdateExpression: "SET expiresAt = :p", ExpressionAttributeValues: { ":p": past } }));
    }
    // Its (otherwise valid) confirm token no longer works…
    const token = issueToken(keys, "confirm", profile.subscriberId as string, Date.now());
    const res = await h.request("POST", "/api/subscriptions/confirm", { json: { token } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("token_expired");
    // …and signing up again starts afresh with a new subscriber.
    expect((await h.request("POST", "/api/subscriptions", { json: body })).status).toBe(202);
    await h.drain();
    const fresh = (await h.allItems()).filter((i) => i.type === "subscriber" && i.email === body.email);
    expect(fresh).toHaveLength(2);
    expect(fresh.find((i) => i.subscriberId !== profile.subscriberId)!.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });
});

describe("the sign-up queue", () => {
  it("dead-letters a malformed message and a stored request that is not one, each with its reason, and mails nobody", async () => {
    const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
    const mailsBefore = (await h.mailbox()).length;
    const queue = h.cloud.signUpQueue;
    const deadBefore = queue.deadLetters.length;
    await h.doc.send(
      new PutCommand({
        TableName: h.cloud.tableName,
        Item: { PK: "REQUEST#bad-request", SK: "SIGNUP", type: "signup-request", request: { id: "bad-request", email: "someone@example.org", language: "fi" }, expiresAt: Math.floor(Date.now() / 1000) + 600 },
      }),
    );
    queue.sendRaw("{not json");
    queue.sendRaw(JSON.stringify({ kind: "sign-up" }));
    queue.sendRaw(JSON.stringify({ kind: "sign-up", requestId: "bad-request" }));
    // A request that is already finished (or expired) is not poison: nothing happens.
    queue.sendRaw(JSON.stringify({ kind: "sign-up", requestId: "finished-long-ago" }));
    await h.drain();
    const reasons = queue.deadLetters.slice(deadBefore).map((d) => d.reason);
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/requestId/);
    expect(reasons[2]).toMatch(/bad-request.*(language|missions)/);
    expect((await h.mailbox()).length).toBe(mailsBefore);
  });
});
