import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import { addressHmac } from "../../packages/core/src/shared/email-address";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { addressKey, fanoutIndexKey, membershipKey, subscriberKey, subscriberListIndexKey } from "../../packages/core/src/platform/table-keys";
import { signUp, startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const KEYS = TEST_SECRETS.TOKEN_KEYS.split(",");
const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const idOf = async (address: string) => ((await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address)!).subscriberId as string;
const manage = (id: string) => issueToken(KEYS, "manage", id, Date.now());
const memberships = async (id: string) =>
  Object.fromEntries(
    (await h.partition(`SUB#${id}`)).filter((i) => String(i.SK).startsWith("MEMBER#")).map((i) => [String(i.SK).slice("MEMBER#".length), `${String(i.GSI1PK).split("#").at(-1)}${i.mixed ? " mixed" : ""}`]),
  );
const news = (id: string, missions: string[], title: string) => ({
  id,
  version: 1,
  kind: "news",
  missions,
  language: "en",
  title,
  summary: "A short summary.",
  url: `https://missions.example.org/${id}`,
  publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
});
async function digestRun(cadence: string) {
  const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence }, headers: staff });
  expect(res.status).toBe(202);
  await h.idle();
  return (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: staff })).body;
}
const mailsMatching = async (address: string, subject: RegExp) => (await h.mailTo(address)).filter((m) => subject.test(m.subject));

let mixed: string;

it("takes cadenceByMission in sign-ups and preferences, and names each wrong entry in a 400", async () => {
  const bad = await h.request("POST", "/api/subscriptions", { json: signUp({ missions: ["food-system"], cadenceByMission: { atlantis: "daily", mobility: "weekly", "food-system": "hourly" } }) });
  expect(bad.status).toBe(400);
  const fields = bad.body.error.fields.map((f: { field: string }) => f.field).sort();
  expect(fields).toEqual(["cadenceByMission.atlantis", "cadenceByMission.food-system", "cadenceByMission.mobility"]);

  mixed = await h.subscribe({ missions: ["food-system", "mobility"], topics: ["news"], cadence: "weekly", cadenceByMission: { "food-system": "immediate" } });
  const id = await idOf(mixed);
  expect(await memberships(id)).toEqual({ "food-system#news": "immediate mixed", "mobility#news": "weekly mixed" });
  const token = manage(id);
  const view = await h.request("GET", `/api/preferences?token=${token}`);
  expect(view.body).toMatchObject({ cadence: "weekly", cadenceByMission: { "food-system": "immediate" } });

  const choices = { language: "en", missions: ["food-system", "mobility"], topics: ["news"], cadence: "weekly", tracking: false };
  const refused = await h.request("PUT", `/api/preferences?token=${token}`, { json: { ...choices, cadenceByMission: { "impact-innovation": "daily" } } });
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields).toEqual([{ field: "cadenceByMission.impact-innovation", message: expect.stringContaining("not one of the chosen missions") }]);
  const saved = await h.request("PUT", `/api/preferences?token=${token}`, { json: { ...choices, cadenceByMission: { "food-system": "immediate", mobility: "daily" } } });
  expect(saved.status).toBe(200);
  expect(saved.body.cadenceByMission).toEqual({ "food-system": "immediate", mobility: "daily" });
  expect(await memberships(id)).toEqual({ "food-system#news": "immediate mixed", "mobility#news": "daily mixed" });
});

/** A subscriber exactly as the code before per-mission cadences stored one: no cadenceByMission, no mixed mark. */
async function oldShape(id: string, email: string, cadence: string, missions: string[], overrides?: Record<string, string>) {
  const now = new Date().toISOString();
  const hmac = addressHmac(email, TEST_SECRETS.ADDRESS_PEPPER);
  const put = (Item: Record<string, unknown>) => h.doc.send(new PutCommand({ TableName: h.cloud.tableName, Item }));
  await put({ ...addressKey(hmac), type: "address", subscriberId: id });
  await put({
    ...subscriberKey(id),
    ...subscriberListIndexKey(id),
    type: "subscriber",
    subscriberId: id,
    email,
    addressHmac: hmac,
    status: "active",
    policyVersion: "2026-11",
    language: "en",
    missions,
    topics: ["news"],
    cadence,
    // The profile of someone whose per-mission choice never reached their memberships (the case the migration repairs).
    ...(overrides ? { cadenceByMission: overrides } : {}),
    tracking: false,
    createdAt: now,
    confirmedAt: now,
  });
  for (const m of missions) await put({ ...membershipKey(id, m, "news"), ...fanoutIndexKey(m, "news", cadence, id), type: "membership", subscriberId: id, language: "en" });
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of ["MM_API_URL", "MM_TOKEN"]) if (saved[k] === undefined) delete process.env[k];
});

it("old-shape subscribers keep working; the migration repairs what differs, is idempotent, and digests still reach them", async () => {
  await oldShape("OLDSHAPE0000000000000000A1", "old-one@example.org", "weekly", ["food-system", "mobility"]);
  await oldShape("OLDSHAPE0000000000000000B2", "old-two@example.org", "weekly", ["food-system", "mobility"], { "food-system": "immediate" });
  // Without any migration, an old subscriber reads as one cadence for every mission.
  const before = await h.request("GET", `/api/preferences?token=${manage("OLDSHAPE0000000000000000A1")}`);
  expect(before.body).toMatchObject({ cadence: "weekly", cadenceByMission: {} });

  // Over HTTP, a page of one at a time: only the inconsistent one is re-written.
  const totals = { checked: 0, rewritten: 0, changed: 0, pages: 0 };
  let after: string | undefined;
  do {
    const res = await h.request("POST", "/api/staff/migrations/cadence-by-mission", { json: { limit: 1, ...(after ? { after } : {}) }, headers: staff });
    expect(res.status).toBe(200);
    totals.checked += res.body.checked;
    totals.rewritten += res.body.rewritten;
    totals.changed += res.body.changed;
    totals.pages += 1;
    after = res.body.next;
  } while (after);
  expect(totals).toMatchObject({ checked: 3, rewritten: 1, changed: 0 });
  expect(totals.pages).toBeGreaterThanOrEqual(3);
  expect(await memberships("OLDSHAPE0000000000000000A1")).toEqual({ "food-system#news": "weekly", "mobility#news": "weekly" });
  expect(await memberships("OLDSHAPE0000000000000000B2")).toEqual({ "food-system#news": "immediate mixed", "mobility#news": "weekly mixed" });
  const repaired = await h.request("GET", `/api/preferences?token=${manage("OLDSHAPE0000000000000000B2")}`);
  expect(repaired.body).toMatchObject({ cadence: "weekly", cadenceByMission: { "food-system": "immediate" } });
  expect((await h.request("POST", "/api/staff/migrations/cadence-by-mission", { json: { limit: 0 }, headers: staff })).body.error.fields[0].field).toBe("limit");

  // Again through the CLI: nobody is re-written.
  process.env.MM_API_URL = h.cloud.urls.site;
  process.env.MM_TOKEN = TEST_SECRETS.STAFF_TOKEN;
  const out: string[] = [];
  expect(await runCli("mm", COMMANDS, ["migrate", "cadence-by-mission"], { out: (t) => out.push(t), err: () => undefined })).toBe(0);
  expect(out.join("\n")).toContain("Checked 3 active subscribers: 0 re-written, 3 already in shape.");

  // An item of both missions alerts whoever follows food-system at once; their weekly digest leaves it out.
  expect((await h.publish({ type: "content.published", item: news("cbm-both", ["food-system", "mobility"], "News of both missions") })).status).toBe(202);
  expect((await h.publish({ type: "content.published", item: news("cbm-mob", ["mobility"], "Mobility-only news") })).status).toBe(202);
  await h.idle();
  const weekly = await digestRun("weekly");
  expect(weekly).toMatchObject({ state: "done", failed: 0 });
  const [oldOne, ...moreOld] = await mailsMatching("old-one@example.org", /weekly update/);
  expect(moreOld).toHaveLength(0);
  expect(oldOne!.body.text).toContain("News of both missions");
  expect(oldOne!.body.text).toContain("Mobility-only news");
  const [oldTwo] = await mailsMatching("old-two@example.org", /weekly update/);
  expect(oldTwo!.body.text).toContain("Mobility-only news");
  expect(oldTwo!.body.text).not.toContain("News of both missions");
  expect((await h.mailTo("old-two@example.org")).some((m) => !/weekly update/.test(m.subject) && m.body.text?.includes("News of both missions"))).toBe(true);

  // The daily digest: the subscriber who follows mobility daily gets one, without what their alerts brought.
  const daily = await digestRun("daily");
  expect(daily).toMatchObject({ state: "done", cadence: "daily", period: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  const [today, ...more] = await mailsMatching(mixed, /today's news/i);
  expect(more).toHaveLength(0);
  expect(today!.body.text).toContain("Mobility-only news");
  expect(today!.body.text).not.toContain("News of both missions");
  expect(await mailsMatching("old-one@example.org", /today's news/i)).toHaveLength(0);
});
