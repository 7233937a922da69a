import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import type { ServiceHealth } from "../../packages/core/src/health";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALERT_WINDOW_SECONDS: "1" });
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const health = async (): Promise<ServiceHealth> => {
  const res = await h.request("GET", "/api/staff/health", { headers: staff });
  expect(res.status, res.text).toBe(200);
  return res.body as ServiceHealth;
};
const inject = async (type: string, messageId: string) => {
  expect((await h.request("POST", "/_local/ses-events", { json: { type, messageId } })).status).toBe(202);
  await h.idle();
};

it("starts healthy: nothing sent, empty dead-letter queues, no runs, nobody waiting", async () => {
  const first = await health();
  expect(first.status).toBe("ok");
  expect(first.windows.map((w) => [w.days, w.sent, w.complaints.rate, w.status])).toEqual([
    [7, 0, null, "ok"],
    [30, 0, null, "ok"],
  ]);
  expect(first.daily).toHaveLength(30);
  expect(first.deadLetters).toEqual(["send", "signUp", "plan", "content", "feedback"].map((queue) => ({ queue, messages: 0, status: "ok" })));
  expect(first.digestRuns).toEqual([]);
  expect(first.approvals).toEqual({ waiting: [], status: "ok" });
  expect((await h.request("GET", "/api/staff/health")).status).toBe(401);
});

it("counts every email SES accepted and each complaint and bounce once, and rates them against the limits", async () => {
  const complainer = await h.subscribe({ missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  const bouncer = await h.subscribe({ missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  await h.publish({ type: "content.published", item: { id: "health-1", version: 1, kind: "publication", missions: ["mobility"], language: "en", title: "Health report", summary: "S.", url: "https://missions.example.org/h", publishedAt: new Date(Date.now() - DAY).toISOString() } });
  await h.idle();
  const alert = async (address: string) => (await h.mailTo(address)).find((m) => m.body.text?.includes("Health report"))!.messageId;
  await inject("complaint", await alert(complainer));
  await inject("bounce", await alert(bouncer));
  await inject("bounce", await alert(bouncer)); // the same message again is another event, but its address is suppressed already

  const now = await health();
  const sent = (await h.mailbox()).length; // confirmations, welcomes and alerts: every one SES took
  expect(sent).toBeGreaterThanOrEqual(6);
  const [week, month] = now.windows;
  expect(week).toMatchObject({ sent, complaints: { count: 1, status: "over", overAutoPause: true }, bounces: { count: 2, status: "over" }, status: "over" });
  expect(week!.complaints.rate).toBeCloseTo(1 / sent);
  expect(week!.suppressions).toMatchObject({ complaint: 1, hardBounce: 2 });
  expect(month).toMatchObject({ sent, complaints: { count: 1 } });
  expect(now.daily.at(-1)).toMatchObject({ sent, complaints: 1, bounces: 2 });
  expect(now.status).toBe("over");
});

it("reads the dead-letter queues' depths and lists the latest digest runs", async () => {
  const feedback = (await import("../../packages/functions/src/events/ses-feedback")).run;
  const base = { version: "0", id: randomUUID(), account: "0", time: "", region: "eu-north-1", resources: [] };
  await feedback({ ...base, source: "aws.ses", "detail-type": "Email Bounced", detail: { eventType: "Explode", mail: {} } } as never, undefined as never, h.cloud.wiring);
  const run = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: staff });
  expect(run.status).toBe(202);
  await h.idle();

  const now = await health();
  expect(now.deadLetters.find((d) => d.queue === "feedback")).toEqual({ queue: "feedback", messages: h.cloud.feedbackDeadLetters.items.length, status: "over" });
  expect(now.deadLetters.find((d) => d.queue === "send")).toMatchObject({ messages: 0, status: "ok" });
  expect(now.digestRuns[0]).toMatchObject({ runId: run.body.runId, cadence: "weekly", status: "ok" });
});

it("shows a dead-lettered sign-up in the sign-up queue's row, and only there", async () => {
  const before = await health();
  expect(before.deadLetters.find((d) => d.queue === "signUp")).toEqual({ queue: "signUp", messages: 0, status: "ok" });
  // A malformed message and a request that is not in the table's shape: the sign-up worker dead-letters both.
  const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
  await h.doc.send(
    new PutCommand({
      TableName: h.cloud.tableName,
      Item: { PK: "REQUEST#health-bad-request", SK: "SIGNUP", type: "signup-request", request: { id: "health-bad-request", email: "someone@example.org", language: "fi" }, expiresAt: Math.floor(Date.now() / 1000) + 600 },
    }),
  );
  h.cloud.signUpQueue.sendRaw("{not json");
  h.cloud.signUpQueue.sendRaw(JSON.stringify({ kind: "sign-up", requestId: "health-bad-request" }));
  await h.idle();
  expect(h.cloud.signUpQueue.deadLetters).toHaveLength(2);

  const now = await health();
  expect(now.deadLetters.find((d) => d.queue === "signUp")).toEqual({ queue: "signUp", messages: 2, status: "over" });
  // The other queues read as before: the sign-ups are counted in their own queue, not another.
  for (const queue of ["send", "plan", "content", "feedback"]) expect(now.deadLetters.find((d) => d.queue === queue), queue).toEqual(before.deadLetters.find((d) => d.queue === queue));
  expect(now.status).toBe("over");
});

it("npm run mm -- health prints the figures with their status in words, and --json the API's answer", async () => {
  const saved = { url: process.env.MM_API_URL, token: process.env.MM_TOKEN };
  process.env.MM_API_URL = h.cloud.urls.site;
  process.env.MM_TOKEN = TEST_SECRETS.STAFF_TOKEN;
  try {
    const out: string[] = [];
    expect(await runCli("mm", COMMANDS, ["health"], { out: (t) => out.push(t), err: () => undefined })).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/^Service health: OVER LIMIT/);
    expect(text).toMatch(/^7 days \(\S+ – \S+\)\s+\d+\s+1 \(\d+\.\d\d%\) \*\s+OVER LIMIT/m);
    expect(text).toMatch(/^feedback\s+\d+\s+OVER LIMIT$/m);
    expect(text).toMatch(/^send\s+0\s+ok$/m);
    expect(text).toMatch(/^signUp\s+2\s+OVER LIMIT$/m);
    const json: string[] = [];
    expect(await runCli("mm", COMMANDS, ["health", "--json"], { out: (t) => json.push(t), err: () => undefined })).toBe(0);
    expect(JSON.parse(json.join("\n"))).toMatchObject({ status: "over", windows: [{ days: 7 }, { days: 30 }] });
  } finally {
    if (saved.url === undefined) delete process.env.MM_API_URL;
    else process.env.MM_API_URL = saved.url;
    if (saved.token === undefined) delete process.env.MM_TOKEN;
    else process.env.MM_TOKEN = saved.token;
  }
});

it("the local retention sweep expires sign-up dead letters as it does the others", async () => {
  const before = await health();
  expect(before.deadLetters.find((d) => d.queue === "signUp")!.messages).toBe(2);
  const total = before.deadLetters.reduce((n, d) => n + (d.messages ?? 0), 0);
  const DAYS = 14 * DAY;
  // Kept until they are RETENTION_DEAD_LETTER_DAYS old, as SQS keeps them.
  expect(h.cloud.expireDeadLetters(DAYS, Date.now() + 13 * DAY)).toBe(0);
  expect(h.cloud.signUpQueue.deadLetters).toHaveLength(2);
  expect(h.cloud.expireDeadLetters(DAYS, Date.now() + 15 * DAY)).toBe(total);
  const after = await health();
  expect(after.deadLetters.find((d) => d.queue === "signUp")).toEqual({ queue: "signUp", messages: 0, status: "ok" });
  expect(after.deadLetters.every((d) => d.messages === 0)).toBe(true);
});
