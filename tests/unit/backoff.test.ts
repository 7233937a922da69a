import { expect, it } from "vitest";
import { classifySendError, withBackoff } from "../../packages/core/src/campaigns/backoff";

const throttled = () => Object.assign(new Error("Maximum sending rate exceeded."), { name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });
const unavailable = () => Object.assign(new Error("unavailable"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
const rejected = () => Object.assign(new Error("Email address is not verified."), { name: "MessageRejected", $metadata: { httpStatusCode: 400 } });

it("classifies SES errors: throttling and 5xx are retried, a rejected message is final", () => {
  expect(classifySendError(throttled())).toBe("throttled");
  expect(classifySendError(unavailable())).toBe("transient");
  expect(classifySendError(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe("transient");
  expect(classifySendError(rejected())).toBe("rejected");
  expect(classifySendError(new Error("bug"))).toBe("fatal");
});

it("backs off exponentially with full jitter, then gives up without throwing so the work can be released", async () => {
  const waits: number[] = [];
  let calls = 0;
  const outcome = await withBackoff(
    async () => {
      calls += 1;
      throw throttled();
    },
    { attempts: 5, baseMs: 100, capMs: 1_000, sleep: async (ms) => void waits.push(ms), random: () => 1 },
  );
  expect(calls).toBe(5);
  expect(waits).toEqual([100, 200, 400, 800]);
  expect(outcome).toMatchObject({ retries: 4 });
  expect((outcome as { gaveUp: Error }).gaveUp.name).toBe("TooManyRequestsException");
});

it("returns the value once a retry succeeds, and throws errors that retrying cannot fix", async () => {
  let calls = 0;
  const ok = await withBackoff(async () => (++calls < 3 ? Promise.reject(unavailable()) : "sent"), { attempts: 5, baseMs: 1, capMs: 1, sleep: async () => {} });
  expect(ok).toEqual({ value: "sent", retries: 2 });
  await expect(withBackoff(async () => Promise.reject(rejected()), { attempts: 5, baseMs: 1, capMs: 1, sleep: async () => {} })).rejects.toThrow(/not verified/);
});
