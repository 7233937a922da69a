import { afterAll, beforeAll, expect, it } from "vitest";
import { signUp, startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it("keeps addresses out of queue bodies: the API enqueues ids only", async () => {
  const bodies: string[] = [];
  const original = h.cloud.sendQueue.sendRaw.bind(h.cloud.sendQueue);
  h.cloud.sendQueue.sendRaw = (body: string) => {
    bodies.push(body);
    original(body);
  };
  const body = signUp();
  await h.request("POST", "/api/subscriptions", { json: body });
  await h.drain();
  h.cloud.sendQueue.sendRaw = original;
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
  h.cloud.sendQueue.sendRaw = original;
  await h.drain();
  h.cloud.sendQueue.sendRaw(captured[0]!); // the same message delivered again
  await h.drain();
  expect(await h.mailTo(body.email)).toHaveLength(1);
});

it("moves a poison message to the dead-letter queue after its retries, with the reason, and carries on", async () => {
  h.cloud.sendQueue.sendRaw("{not json");
  h.cloud.sendQueue.sendRaw(JSON.stringify({ kind: "launch-rockets", subscriberId: "x" }));
  const body = signUp();
  await h.request("POST", "/api/subscriptions", { json: body });
  await h.drain();
  expect(h.cloud.sendQueue.deadLetters.map((d) => d.body)).toEqual(["{not json", JSON.stringify({ kind: "launch-rockets", subscriberId: "x" })]);
  expect(h.cloud.sendQueue.deadLetters.every((d) => /failed 5 times/.test(d.reason))).toBe(true);
  expect(await h.mailTo(body.email)).toHaveLength(1);
});
