import { afterAll, beforeAll, expect, it } from "vitest";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALERT_WINDOW_SECONDS: "1" });
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const manage = async (address: string) => {
  const id = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address)!.subscriberId as string;
  return issueToken(TEST_SECRETS.TOKEN_KEYS.split(","), "manage", id, Date.now());
};
const chart = async (query = "days=7") => {
  const res = await h.request("GET", `/api/staff/stats?${query}`, { headers: staff });
  expect(res.status, res.text).toBe(200);
  return res.body as { from: string; to: string; missions: { id: string; subscribers: number; totals: Record<string, number>; series: { day: string; subscribers: number }[] }[] };
};
const mission = async (id: string) => (await chart()).missions.find((m) => m.id === id)!;

it("counts joins, preference changes and unsubscribes per mission, with subscribers at each day's end", async () => {
  const a = await h.subscribe({ missions: ["food-system"], topics: ["publication"], cadence: "immediate" });
  const b = await h.subscribe({ missions: ["food-system", "mobility"], topics: ["publication"], cadence: "immediate" });
  // A sign-up that is never confirmed counts for nothing.
  await h.request("POST", "/api/subscriptions", { json: { email: "never-confirms@example.org", language: "sv", missions: ["mobility"], topics: ["news"], cadence: "weekly", consent: { newsletter: true, policyVersion: "2026-11" } } });
  await h.drain();

  let food = await mission("food-system");
  expect(food.subscribers).toBe(2);
  expect(food.totals).toMatchObject({ joined: 2, left: 0 });
  expect(food.series).toHaveLength(7);
  expect(food.series.at(-1)!.subscribers).toBe(2);
  expect(food.series[0]!.subscribers).toBe(0);
  expect((await mission("mobility")).subscribers).toBe(1);

  // B leaves mobility in the preference centre; A unsubscribes with one click.
  const put = await h.request("PUT", `/api/preferences?token=${await manage(b)}`, { json: { missions: ["food-system"], topics: ["publication"], cadence: "immediate", language: "en", tracking: false } });
  expect(put.status).toBe(200);
  expect((await h.request("POST", `/unsubscribe?token=${await manage(a)}`, { body: "List-Unsubscribe=One-Click" })).status).toBe(200);
  expect((await h.request("POST", `/unsubscribe?token=${await manage(a)}`, { body: "List-Unsubscribe=One-Click" })).status).toBe(200);

  const mobility = await mission("mobility");
  expect(mobility).toMatchObject({ subscribers: 0, totals: { joined: 1, left: 1, unsubscribed: 0 } });
  food = await mission("food-system");
  expect(food).toMatchObject({ subscribers: 1, totals: { joined: 2, left: 1, unsubscribed: 1 } });
});

it("counts emails sent to each mission's followers, and bounces and complaints once per event", async () => {
  const c = await h.subscribe({ missions: ["impact-innovation", "societal-contract"], topics: ["publication"], cadence: "immediate" });
  const d = await h.subscribe({ missions: ["impact-innovation"], topics: ["publication"], cadence: "immediate" });
  await h.publish({ type: "content.published", item: { id: "stats-1", version: 1, kind: "publication", missions: ["impact-innovation"], language: "en", title: "Stats report", summary: "S.", url: "https://missions.example.org/s", publishedAt: new Date(Date.now() - DAY).toISOString() } });
  await h.idle();
  expect((await mission("impact-innovation")).totals.sent).toBe(2);
  expect((await mission("societal-contract")).totals.sent).toBe(1);

  const mailTo = async (address: string) => (await h.mailTo(address)).find((m) => m.body.text?.includes("Stats report"))!;
  const inject = async (type: string, messageId: string) => {
    expect((await h.request("POST", "/_local/ses-events", { json: { type, messageId } })).status).toBe(202);
    await h.idle();
  };
  await inject("complaint", (await mailTo(c)).messageId);
  await inject("bounce", (await mailTo(d)).messageId);
  const impact = await mission("impact-innovation");
  expect(impact.totals).toMatchObject({ complained: 1, bounced: 1, unsubscribed: 1, left: 1 });
  expect(impact.subscribers).toBe(1);
  expect((await mission("societal-contract")).totals).toMatchObject({ complained: 1, left: 1 });
});

it("lists digest runs newest first, and refuses bad queries", async () => {
  const first = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: staff });
  const second = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "monthly" }, headers: staff });
  await h.idle();
  const list = await h.request("GET", "/api/staff/runs?limit=5", { headers: staff });
  expect(list.status).toBe(200);
  expect(list.body.runs.map((r: { runId: string }) => r.runId).slice(0, 2)).toEqual([second.body.runId, first.body.runId]);
  expect(list.body.runs[0]).toMatchObject({ cadence: "monthly", state: expect.stringMatching(/^(done|sending)$/) });

  expect((await h.request("GET", "/api/staff/runs?limit=0", { headers: staff })).body.error.code).toBe("validation_failed");
  expect((await h.request("GET", "/api/staff/stats?days=999", { headers: staff })).body.error.code).toBe("invalid_days");
  expect((await h.request("GET", "/api/staff/stats?days=abc", { headers: staff })).status).toBe(400);
  expect((await h.request("GET", "/api/staff/stats?missions=atlantis", { headers: staff })).status).toBe(404);
  expect((await h.request("GET", "/api/staff/stats")).status).toBe(401);
  expect((await h.request("GET", "/api/staff/runs")).status).toBe(401);
});

it("npm run mm -- stats prints each mission's subscribers, curve and rates", async () => {
  const saved = { url: process.env.MM_API_URL, token: process.env.MM_TOKEN };
  process.env.MM_API_URL = h.cloud.urls.site;
  process.env.MM_TOKEN = TEST_SECRETS.STAFF_TOKEN;
  try {
    const out: string[] = [];
    const err: string[] = [];
    expect(await runCli("mm", COMMANDS, ["stats", "--days", "7"], { out: (t) => out.push(t), err: (t) => err.push(t) })).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/^mission\s+subscribers\s+last 7 days\s+joined/m);
    const food = text.split("\n").find((l) => l.startsWith("food-system"))!;
    expect(food.split(/\s{2,}/).slice(0, 2)).toEqual(["food-system", "1"]);
    expect(text).toMatch(/impact-innovation .* 1 \(50\.00%\)\s+1 \(50\.00%\)$/m);
    expect(await runCli("mm", COMMANDS, ["stats", "--days", "0"], { out: () => undefined, err: (t) => err.push(t) })).toBe(2);
    expect(err.join("\n")).toContain("--days must be a whole number from 1 to 366");
  } finally {
    if (saved.url === undefined) delete process.env.MM_API_URL;
    else process.env.MM_API_URL = saved.url;
    if (saved.token === undefined) delete process.env.MM_TOKEN;
    else process.env.MM_TOKEN = saved.token;
  }
});
