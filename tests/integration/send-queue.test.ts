import { afterAll, beforeAll, expect, it } from "vitest";
import { signUp, startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it("keeps addresses out of queue bodies: the API and the sign-up worker enqueue ids only", async () => {
  const bodies: string[] = [];
  const signUps: string[] = [];
  const original = h.cloud.sendQueue.sendRaw.bind(h.cloud.sendQueue);
  const originalSignUp = h.cloud.signUpQueue.sendRaw.bind(h.cloud.signUpQueue);
  h.cloud.sendQueue.sendRaw = (body: string) => {
    bodies.push(body);
    original(body);
  };
  h.cloud.signUpQueue.sendRaw = (body: string) => {
    signUps.push(body);
    originalSignUp(body);
  };
  const body = signUp();
  await h.request("POST", "/api/subscriptions", { json: body });
  await h.drain();
  h.cloud.sendQueue.sendRaw = original;
  h.cloud.signUpQueue.sendRaw = originalSignUp;
  expect(signUps).toHaveLength(1);
  expect(JSON.parse(signUps[0]!)).toEqual({ kind: "sign-up", requestId: expect.any(String) });
  expect(bodies).toHaveLength(1);
  expect(bodies[0]).not.toContain("@");
  expect(JSON.parse(bodies[0]!)).toMatchObject({ kind: "confirm", subscriberId: expect.any(String), requestId: expect.any(String) });
});

it("sends a redelivered confirmation job only once", async () => {
  const body = signUp();
  const captured: string[] = [];
  const original = h.cloud.sendQueue.sendRaw.bind(h.cloud.sendQueue);
  h.cloud.sendQueue.sendRaw = (raw: string) => {
    captured.push(raw);
    original(raw);
  };
  await h.request("POST", "/api/subscriptions", { json: body });
  await h.drain();
  h.cloud.sendQueue.sendRaw = original;
  expect(captured).toHaveLength(1);
  h.cloud.sendQueue.sendRaw(captured[0]!); // the same message delivered again
  await h.drain();
  expect(await h.mailTo(body.email)).toHaveLength(1);
});

it("moves a poison message to the dead-letter queue at once, with its reason, and carries on", async () => {
  h.cloud.sendQueue.sendRaw("{not json");
  h.cloud.sendQueue.sendRaw(JSON.stringify({ kind: "launch-rockets", subscriberId: "x" }));
  const body = signUp();
  await h.request("POST", "/api/subscriptions", { json: body });
  await h.drain();
  expect(h.cloud.sendQueue.deadLetters.map((d) => d.body)).toEqual(["{not json", JSON.stringify({ kind: "launch-rockets", subscriberId: "x" })]);
  const [notJson, badKind] = h.cloud.sendQueue.deadLetters.map((d) => d.reason);
  expect(notJson).toMatch(/body is not JSON/);
  expect(badKind).toMatch(/kind/);
  expect(badKind).toMatch(/requestId/);
  expect(await h.mailTo(body.email)).toHaveLength(1);
});

it("retries a job whose send failed for a passing reason, and delivers it once", async () => {
  const { SesMailer } = await import("../../packages/core/src/campaigns/ses-mailer");
  const real = new SesMailer({ region: "eu-north-1", endpoint: h.cloud.urls.mailbox }, "Missions <news@missions.example.org>");
  let calls = 0;
  // SES emulators never fail on their own, so a failing first call is put in front of our Mailer port.
  h.cloud.rewire({
    mailer: {
      send: async (email) => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
        return real.send(email);
      },
      sendBulk: (email) => real.sendBulk(email),
    },
  });
  try {
    const body = signUp();
    await h.request("POST", "/api/subscriptions", { json: body });
    await h.drain();
    expect(calls).toBe(2);
    expect(await h.mailTo(body.email)).toHaveLength(1);
    expect(h.cloud.sendQueue.deadLetters.filter((d) => !/JSON|kind/.test(d.reason))).toHaveLength(0);
  } finally {
    h.cloud.rewire();
  }
});
