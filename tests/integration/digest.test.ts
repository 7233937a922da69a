import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { contentItem, contentMails, DAY, runDigest as runWeekly, STAFF as staff } from "./content-fixtures";
import { startHarness, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const header = (mail: StoredEmail, name: string) => mail.headers?.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
const digests = (address: string) => contentMails(h, address);
const item = contentItem;
const runDigest = () => runWeekly(h);

let a: string, b: string, emptyOne: string;

it("refuses digest runs without the staff token or with a bad body", async () => {
  expect((await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" } })).status).toBe(401);
  const wrong = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: { authorization: "Bearer not-the-token-0000000" } });
  expect(wrong.status).toBe(401);
  expect(wrong.body.error.code).toBe("unauthorized");
  const bad = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "hourly" }, headers: staff });
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields[0].field).toBe("cadence");
  expect((await h.request("GET", "/api/staff/runs/nope", { headers: staff })).status).toBe(404);
});

it("sends one combined digest per weekly subscriber, each item once, other-language items marked, empty ones skipped", async () => {
  a = await h.subscribe({ language: "sv", missions: ["food-system", "impact-innovation"], topics: ["seminar", "publication"], cadence: "weekly" });
  b = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["seminar"], cadence: "weekly" });
  emptyOne = await h.subscribe({ language: "sv", missions: ["societal-contract"], topics: ["news"], cadence: "weekly" });
  const monthly = await h.subscribe({ language: "sv", missions: ["food-system"], topics: ["seminar"], cadence: "monthly" });

  const shared = item("seminar", { id: "d-shared", missions: ["food-system", "impact-innovation"], title: "Gemensamt seminarium om matsystemet" });
  const later = item("seminar", { id: "d-later", missions: ["impact-innovation"], title: "Ett senare seminarium", startsAt: new Date(Date.now() + 16 * DAY).toISOString(), endsAt: new Date(Date.now() + 16 * DAY + 3_600_000).toISOString() });
  const english = item("publication", { id: "d-report", missions: ["food-system"], language: "en", title: "A report on food systems" });
  const mobility = item("seminar", { id: "d-mobility", missions: ["mobility"], title: "Mobilitetsdagen" });
  const gone = item("seminar", { id: "d-gone", missions: ["food-system"], title: "Inställt seminarium" });
  for (const i of [later, shared, english, mobility, gone]) expect((await h.publish({ type: "content.published", item: i })).status).toBe(202);
  await h.publish({ type: "content.unpublished", item: { ...gone, version: 2 } });
  await h.idle();

  const run = await runDigest();
  expect(run).toMatchObject({ state: "done", planned: 2, sent: 2, failed: 0, skipped: 1 });
  expect(run.campaign).toMatch(/^digest#weekly#\d{4}-W\d{2}$/);

  const [mailA, ...moreA] = await digests(a);
  expect(moreA).toHaveLength(0);
  const text = mailA!.body.text!;
  expect(text.split("Gemensamt seminarium om matsystemet")).toHaveLength(2);
  expect(text.indexOf("Gemensamt seminarium")).toBeLessThan(text.indexOf("Ett senare seminarium"));
  expect(text).toMatch(/A report on food systems.*\(på engelska\)|\(på engelska\).*A report on food systems/s);
  expect(text).not.toContain("Inställt seminarium");
  expect(text).not.toContain("Mobilitetsdagen");
  expect(mailA!.body.html).toContain('lang="sv"');
  expect(header(mailA!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
  expect(header(mailA!, "List-Unsubscribe")).toMatch(/unsubscribe\?token=.*mailto:/);

  const [mailB] = await digests(b);
  expect(mailB!.body.html).toContain('lang="en"');
  expect(mailB!.body.text).toContain("Mobilitetsdagen");
  expect(mailB!.body.text).not.toContain("Gemensamt seminarium");
  expect(await digests(emptyOne)).toHaveLength(0);
  expect(await digests(monthly)).toHaveLength(0);
});

it("re-running the period emails nobody twice and includes someone who joined since", async () => {
  const again = await runDigest();
  expect(again).toMatchObject({ state: "done", planned: 2, sent: 2 });
  expect(await digests(a)).toHaveLength(1);

  const newcomer = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["seminar"], cadence: "weekly" });
  const third = await runDigest();
  expect(third).toMatchObject({ state: "done", planned: 3, sent: 3 });
  expect(await digests(newcomer)).toHaveLength(1);
  expect(await digests(a)).toHaveLength(1);
  expect(await digests(b)).toHaveLength(1);
});

it("does not send a batch twice when its queue message is delivered again", async () => {
  const before = (await h.mailbox()).length;
  const batches = (await h.allItems()).filter((i) => String(i.PK).startsWith("CAMPAIGN#digest#") && i.type === "batch");
  expect(batches.length).toBeGreaterThan(0);
  for (const batch of batches) {
    const pointer = JSON.stringify({ kind: "batch", campaign: batch.campaign, batch: batch.batch });
    h.cloud.sendQueue.sendRaw(pointer);
    h.cloud.sendQueue.sendRaw(pointer);
  }
  await h.idle();
  expect((await h.mailbox()).length).toBe(before);
});

it("sends nothing to someone who unsubscribed after planning and before sending", async () => {
  const stays = await h.subscribe({ language: "sv", missions: ["vision-driven-health"], topics: ["seminar"], cadence: "monthly" });
  const leaves = await h.subscribe({ language: "sv", missions: ["vision-driven-health"], topics: ["seminar"], cadence: "monthly" });
  await h.publish({ type: "content.published", item: item("seminar", { id: "d-health", missions: ["vision-driven-health"], title: "Hälsoseminariet" }) });
  await h.idle();

  h.cloud.sendQueue.pause();
  const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "monthly" }, headers: staff });
  await h.cloud.planQueue.idle();
  const planned = (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: staff })).body;
  expect(planned).toMatchObject({ state: "sending", sent: 0 });
  expect(planned.planned).toBeGreaterThanOrEqual(2);

  // The subscriber leaves now; the unsubscribe use case sets this status.
  const leaver = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === leaves)!;
  await h.doc.send(new UpdateCommand({ TableName: h.cloud.tableName, Key: { PK: leaver.PK, SK: "PROFILE" }, UpdateExpression: "SET #s = :u", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":u": "unsubscribed" } }));
  h.cloud.sendQueue.resume();
  await h.idle();

  expect(await digests(stays)).toHaveLength(1);
  expect(await digests(leaves)).toHaveLength(0);
  const done = (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: staff })).body;
  expect(done.state).toBe("done");
  expect(done.skipped).toBeGreaterThanOrEqual(1);
});
