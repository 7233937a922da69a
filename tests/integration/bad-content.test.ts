import { afterAll, beforeAll, expect, it } from "vitest";
import { DynamoAlertWindows } from "../../packages/core/src/digest/dynamo-alert-windows";
import { DynamoContentStore } from "../../packages/core/src/content/dynamo-content-store";
import type { ContentItem } from "../../packages/core/src/content/schema";
import { contentItem, contentMails as mailsOf, runDigest as runStaffDigest, STAFF as staff } from "./content-fixtures";
import { startHarness, type Harness } from "./harness";

// One bad content item (a link no email can carry, stored before the URL rule existed) must cost the
// readers that one item, never their digest or their other alerts.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const contentMails = (address: string) => mailsOf(h, address);

let counter = 0;
/** A content item with an id and link of its own. */
function item(kind: "seminar" | "publication" | "news", overrides: Record<string, unknown>) {
  counter += 1;
  return { id: `bad-content-${counter}`, ...contentItem(kind, { url: `https://missions.example.org/innehall/${counter}`, ...overrides }) };
}

/** Writes an item straight into the content store, as one stored before the URL rule would be. */
async function storeLegacy(raw: Record<string, unknown>) {
  const stored = { item: raw as unknown as ContentItem, status: "published" as const, alertedVersions: [raw.version as number], updatedAt: new Date().toISOString() };
  expect(await new DynamoContentStore(h.doc, h.cloud.tableName).putContent(stored, undefined)).toBe("written");
}

async function subscriberId(address: string) {
  const profile = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address);
  return String(profile!.PK).slice("SUB#".length);
}

const runDigest = (cadence: "weekly" | "monthly") => runStaffDigest(h, cadence);

it("refuses an item whose link cannot be fixed with 422 naming item.url, storing nothing", async () => {
  const bad = item("publication", { missions: ["food-system"], title: "Trasig länk", url: "https://missions example.org/publikationer/rapport" });
  const res = await h.publish({ type: "content.published", item: bad });
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("invalid_event");
  expect(res.body.error.fields).toEqual([{ field: "item.url", message: expect.stringMatching(/browser can open/) }]);
  expect(res.body.error.message).toContain("item.url");

  const script = await h.publish({ type: "content.published", item: { ...bad, url: "javascript:alert(1)" } });
  expect(script.status).toBe(422);
  expect(script.body.error.fields.map((f: { field: string }) => f.field)).toEqual(["item.url"]);

  await h.idle();
  expect(await h.partition(`CONTENT#${bad.id}`)).toHaveLength(0);
});

it("stores a link with a space percent-encoded, and alerts with that link", async () => {
  const reader = await h.subscribe({ language: "sv", missions: ["food-system"], topics: ["publication"], cadence: "immediate" });
  const spaced = item("publication", { missions: ["food-system"], title: "En rapport med mellanslag", url: "https://missions.example.org/publikationer/en rapport" });
  expect((await h.publish({ type: "content.published", item: spaced })).status).toBe(202);
  await h.idle();

  const [stored] = await h.partition(`CONTENT#${spaced.id}`);
  expect((stored!.item as { url: string }).url).toBe("https://missions.example.org/publikationer/en%20rapport");
  const [mail, ...more] = await contentMails(reader);
  expect(more).toHaveLength(0);
  expect(mail!.body.text).toContain("https://missions.example.org/publikationer/en%20rapport");
  expect(mail!.body.html).toContain('href="https://missions.example.org/publikationer/en%20rapport"');

  const feed = await h.request("GET", "/missions/food-system/feed.atom");
  expect(feed.text).toContain("https://missions.example.org/publikationer/en%20rapport");
});

it("leaves a poisoned item out of every weekly digest, reports it on the run, and sends the rest to everyone once", async () => {
  const svReader = await h.subscribe({ language: "sv", missions: ["mobility"], topics: ["seminar", "publication"], cadence: "weekly" });
  const enReader = await h.subscribe({ language: "en", missions: ["mobility", "impact-innovation"], topics: ["publication"], cadence: "weekly" });
  const otherReader = await h.subscribe({ language: "sv", missions: ["impact-innovation"], topics: ["publication"], cadence: "weekly" });
  const readers = [svReader, enReader, otherReader];

  const seminar = item("seminar", { missions: ["mobility"], title: "Seminarium om vardagsresor" });
  const report = item("publication", { missions: ["impact-innovation"], title: "Rapport om systemförändring" });
  for (const good of [seminar, report]) expect((await h.publish({ type: "content.published", item: good })).status).toBe(202);
  await h.idle();
  // Stored before the URL rule: one link with a space (it can be encoded), one that cannot be used.
  const legacySpaced = item("publication", { missions: ["mobility"], title: "Äldre rapport med mellanslag", url: "https://missions.example.org/publikationer/en rapport" });
  const poisoned = item("publication", { missions: ["mobility", "impact-innovation"], title: "Förgiftad publikation", url: "https://missions example.org/trasig" });
  await storeLegacy(legacySpaced);
  await storeLegacy(poisoned);

  const run = await runDigest("weekly");
  expect(run).toMatchObject({ state: "done", planned: 3, sent: 3, failed: 0 });
  expect(run.error).toBeUndefined();
  expect(run.warnings).toEqual([{ code: "item_left_out", itemId: poisoned.id, version: 1, reason: expect.stringMatching(/URL/) }]);

  for (const reader of readers) {
    const mails = await contentMails(reader);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.text).not.toContain("Förgiftad publikation");
    expect(mails[0]!.body.html).not.toContain("missions example.org");
  }
  const [sv] = await contentMails(svReader);
  expect(sv!.body.text).toContain("Seminarium om vardagsresor");
  expect(sv!.body.text).toContain("Äldre rapport med mellanslag");
  expect(sv!.body.text).toContain("https://missions.example.org/publikationer/en%20rapport");
  const [en] = await contentMails(enReader);
  expect(en!.body.text).toContain("Rapport om systemförändring");
  expect(en!.body.text).toContain("Äldre rapport med mellanslag");
  const [other] = await contentMails(otherReader);
  expect(other!.body.text).toContain("Rapport om systemförändring");

  // The run list reports it too, and a re-run emails nobody twice.
  const listed = (await h.request("GET", "/api/staff/runs?limit=1", { headers: staff })).body.runs[0];
  expect(listed.warnings).toEqual(run.warnings);
  const again = await runDigest("weekly");
  expect(again.state).toBe("done");
  for (const reader of readers) expect(await contentMails(reader)).toHaveLength(1);

  // The pages and the feed show the same links as the emails: encoded, and the unusable one unlinked.
  const page = await h.request("GET", "/missions/mobility/archive");
  expect(page.text).toContain('href="https://missions.example.org/publikationer/en%20rapport"');
  expect(page.text).toContain("Förgiftad publikation");
  expect(page.text).not.toContain("missions example.org");
  const feed = await h.request("GET", "/missions/mobility/feed.atom");
  expect(feed.status).toBe(200);
  expect(feed.text).toContain("https://missions.example.org/publikationer/en%20rapport");
  expect(feed.text).not.toContain("missions example.org");
});

it("fails a digest run only when nothing can be sent, and says why", async () => {
  const reader = await h.subscribe({ language: "en", missions: ["societal-contract"], topics: ["news"], cadence: "monthly" });
  const poisoned = item("news", { missions: ["societal-contract"], title: "Poisoned news", url: "javascript:alert(1)" });
  await storeLegacy(poisoned);

  const run = await runDigest("monthly");
  expect(run.state).toBe("failed");
  expect(run.error).toMatch(/could not be put into an email/);
  expect(run.error).toContain(poisoned.id);
  expect(run.warnings).toEqual([{ code: "item_left_out", itemId: poisoned.id, version: 1, reason: expect.stringMatching(/URL/) }]);
  expect(await contentMails(reader)).toHaveLength(0);
});

it("leaves a poisoned item out of a collected alert email and sends the others in it", async () => {
  const reader = await h.subscribe({ language: "sv", missions: ["vision-driven-health"], topics: ["publication"], cadence: "immediate" });
  const id = await subscriberId(reader);
  const poisoned = item("publication", { missions: ["vision-driven-health"], title: "Förgiftad nyhet", url: "https://missions example.org/x" });
  await storeLegacy(poisoned);
  // Before the URL rule the poisoned item opened this reader's alert window and was collected into it.
  const windows = new DynamoAlertWindows(h.doc, h.cloud.tableName);
  const { windowEndsAt } = await windows.open(id, `${poisoned.id}#1`, Date.now(), Date.now() + 600_000);
  expect(await windows.collect(id, windowEndsAt, `${poisoned.id}#1`)).toBe("first");

  const good = item("publication", { missions: ["vision-driven-health"], title: "Frisk publikation" });
  expect((await h.publish({ type: "content.published", item: good })).status).toBe(202);
  await h.idle();
  expect(await contentMails(reader)).toHaveLength(0);

  // The window's end: the flush the first collected item scheduled.
  const deadBefore = h.cloud.planQueue.deadLetters.length;
  h.cloud.planQueue.sendRaw(JSON.stringify({ kind: "flush-alerts", subscriberId: id, windowEndsAt }));
  await h.idle();
  const mails = await contentMails(reader);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.body.text).toContain("Frisk publikation");
  expect(mails[0]!.body.text).not.toContain("Förgiftad nyhet");
  expect(h.cloud.planQueue.deadLetters).toHaveLength(deadBefore);
});
