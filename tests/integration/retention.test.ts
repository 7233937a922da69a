import { afterAll, beforeAll, expect, it } from "vitest";
import { sweepRetention } from "../../packages/core/src/retention";
import { retaining } from "../../packages/functions/src/wiring/retention";
import { STAFF } from "./content-fixtures";
import { signUp, startHarness, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALERT_WINDOW_SECONDS: "1" });
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
const unsubscribeUrl = (mail: StoredEmail) => {
  const header = mail.headers?.find((x) => x.name.toLowerCase() === "list-unsubscribe")?.value ?? "";
  const url = new URL(/<(https?:[^>]+)>/.exec(header)![1]!);
  return `${url.pathname}${url.search}`;
};

it("sweeps every category in DynamoDB by its sweep index, in pages, once: kept before the period, gone after, nothing on a second run", async () => {
  // Two subscribers get an alert (delivery history, a sent batch); one unsubscribes; one sign-up is never confirmed; staff act once.
  const leaving = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  const staying = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  const item = { id: "r-1", version: 1, kind: "publication", missions: ["mobility"], language: "en", title: "A report", summary: "A summary.", url: "https://missions.example.org/p", publishedAt: new Date(Date.now() - DAY).toISOString() };
  expect((await h.publish({ type: "content.published", item })).status).toBe(202);
  await h.idle();
  const alert = (await h.mailTo(leaving)).find((m) => /report/i.test(m.subject))!;
  const left = await h.request("POST", unsubscribeUrl(alert), { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(left.status).toBe(200);
  const unconfirmed = signUp();
  expect((await h.request("POST", "/api/subscriptions", { json: unconfirmed })).status).toBe(202);
  await h.idle();
  expect((await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: STAFF })).status).toBe(202);
  await h.idle();

  const items = () => h.allItems();
  const profileOf = async (email: string) => (await items()).find((i) => i.SK === "PROFILE" && i.email === email);
  const leaver = (await profileOf(leaving))!;
  const stayer = (await profileOf(staying))!;
  const pendingId = (await profileOf(unconfirmed.email))!.subscriberId as string;
  expect(leaver).toMatchObject({ status: "unsubscribed", GSI1PK: "UNSUBSCRIBED" });
  expect((await h.partition(`SUB#${stayer.subscriberId}`)).filter((i) => String(i.SK).startsWith("DELIVERY#"))).toHaveLength(1);

  // The sweep as the schedule runs it, with a clock moved forward; a page of one item exercises the cursors.
  const base = retaining(h.cloud.wiring);
  let now = Date.now();
  const sweep = () => sweepRetention({ ...base, clock: { now: () => now }, periods: { ...base.periods, pageSize: 1 } });

  const early = await sweep();
  expect(early.counts).toEqual({ pendingSignUps: 0, unsubscribedErased: 0, deliveriesDeleted: 0, batchesCompacted: 0, auditPseudonymised: 0 });
  expect(await profileOf(unconfirmed.email)).toBeDefined();

  now += 8 * DAY;
  expect((await sweep()).counts).toMatchObject({ pendingSignUps: 1, unsubscribedErased: 0 });
  expect((await items()).filter((i) => String(i.PK) === `SUB#${pendingId}` || i.subscriberId === pendingId)).toEqual([]);

  now += 30 * DAY;
  expect((await sweep()).counts).toMatchObject({ unsubscribedErased: 1, deliveriesDeleted: 0, batchesCompacted: 0 });
  const afterErasure = await h.partition(`SUB#${leaver.subscriberId}`);
  expect(afterErasure.map((i) => i.event)).toEqual(["erased"]);
  expect((await h.partition(`SUPP#${leaver.addressHmac}`))[0]).toMatchObject({ reason: "erased" });
  expect(await h.partition(`ADDR#${leaver.addressHmac}`)).toEqual([]);

  now += 60 * DAY;
  const ninety = await sweep();
  expect(ninety.counts.batchesCompacted).toBeGreaterThanOrEqual(1);
  // Batches live in their own partitions (SK "BATCH"); a campaign from before that, in its own (SK "BATCH#…").
  const batches = (await items()).filter((i) => String(i.SK).startsWith("BATCH"));
  expect(batches.length).toBeGreaterThanOrEqual(1);
  for (const b of batches) {
    expect(b.recipients).toBeUndefined();
    expect(b.results).toBeUndefined();
    expect(b.compactedAt).toEqual(expect.any(String));
  }
  const campaigns = (await items()).filter((i) => i.SK === "META" && String(i.PK).startsWith("CAMPAIGN#"));
  expect(campaigns.every((c) => c.GSI1PK === undefined && typeof c.sent === "number")).toBe(true);

  now += 320 * DAY;
  expect((await sweep()).counts).toMatchObject({ deliveriesDeleted: 1, auditPseudonymised: 0 });
  expect((await h.partition(`SUB#${stayer.subscriberId}`)).filter((i) => String(i.SK).startsWith("DELIVERY#"))).toEqual([]);
  expect(await profileOf(staying)).toMatchObject({ status: "active" });

  now += 340 * DAY;
  expect((await sweep()).counts.auditPseudonymised).toBe(1);
  const audit = (await items()).filter((i) => i.type === "audit");
  expect(audit).toHaveLength(1);
  expect((audit[0]!.actor as { email: string }).email).toMatch(/^staff-[0-9a-f]{16}$/);
  expect(JSON.stringify(await items())).not.toContain("local-staff@example.org");

  const again = await sweep();
  expect(again.counts).toEqual({ pendingSignUps: 0, unsubscribedErased: 0, deliveriesDeleted: 0, batchesCompacted: 0, auditPseudonymised: 0 });
  expect(again.more).toEqual([]);
  // Two sign-ups, an alert and a digest run first: about 50 s on two busy cores.
}, 180_000);

it("runs from the local scheduler as from the daily schedule, and the staff statistics show its counts", async () => {
  const report = (await h.cloud.scheduler.retentionNow()) as { at: string; counts: Record<string, number> };
  expect(report.counts).toEqual({ pendingSignUps: 0, unsubscribedErased: 0, deliveriesDeleted: 0, batchesCompacted: 0, auditPseudonymised: 0 });
  const stats = await h.request("GET", "/api/staff/stats?days=7", { headers: STAFF });
  expect(stats.status).toBe(200);
  expect(stats.body.retention).toEqual({ at: report.at, counts: report.counts, more: [] });
});
