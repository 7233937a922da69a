import { afterAll, beforeAll, expect, it } from "vitest";
import { signUp, startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  // Client IPs come from X-Forwarded-For only because this test configuration trusts the proxy.
  h = await startHarness({ RATE_LIMIT_PER_ADDRESS: "2", RATE_LIMIT_PER_IP: "3", RATE_WINDOW_SECONDS: "3600", TRUST_PROXY: "true" });
});
afterAll(() => h?.stop());

it("limits sign-ups per address with 429 and Retry-After, and sends no more mail", async () => {
  const body = signUp();
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await h.request("POST", "/api/subscriptions", { json: body, headers: { "x-forwarded-for": `10.0.0.${i}` } });
    statuses.push(res.status);
    if (res.status === 429) {
      expect(res.body.error.code).toBe("rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    }
  }
  expect(statuses).toEqual([202, 202, 429]);
  await h.drain();
  expect(await h.mailTo(body.email)).toHaveLength(2);
});

it("limits sign-ups per IP across different addresses", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await h.request("POST", "/api/subscriptions", { json: signUp(), headers: { "x-forwarded-for": "192.0.2.77" } });
    statuses.push(res.status);
  }
  expect(statuses).toEqual([202, 202, 202, 429]);
  // Another network is unaffected.
  expect((await h.request("POST", "/api/subscriptions", { json: signUp(), headers: { "x-forwarded-for": "192.0.2.78" } })).status).toBe(202);
});
