import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signWebhook } from "../../packages/functions/src/lib/webhook-signature";
import { isSubscriptionMail, startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  // A short alert window, so coalescing can be watched without waiting ten minutes.
  h = await startHarness({ ALERT_WINDOW_SECONDS: "2" });
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
let counter = 0;
function seminar(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const start = new Date(Date.now() + 20 * DAY);
  start.setUTCHours(8, 0, 0, 0);
  return {
    id: `seminar-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    version: 1,
    kind: "seminar",
    missions: ["mobility"],
    language: "sv",
    title: `Seminarium om mobilitet ${counter}`,
    summary: "Ett samtal om hållbara resor i vardagen.",
    url: "https://missions.example.org/evenemang/mobilitet",
    publishedAt: new Date().toISOString(),
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    location: "Stockholm",
    registrationUrl: "https://missions.example.org/evenemang/mobilitet/anmalan",
    ...overrides,
  };
}
const header = (mail: StoredEmail, name: string) => mail.headers?.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
const contentMails = async (address: string) => (await h.mailTo(address)).filter((m) => !isSubscriptionMail(m));

it("refuses unsigned, wrongly signed, broken and invalid webhook calls, storing nothing", async () => {
  const event = { type: "content.published", item: seminar() };
  const unsigned = await h.request("POST", "/webhooks/content", { json: event });
  expect(unsigned.status).toBe(401);
  expect(unsigned.body.error.code).toBe("invalid_signature");

  const now = String(Math.floor(Date.now() / 1000));
  const forged = await h.request("POST", "/webhooks/content", { json: event, headers: { "x-signature-256": `sha256=${"0".repeat(64)}`, "x-signature-timestamp": now } });
  expect(forged.status).toBe(401);
  expect(forged.body.error.message).toMatch(/does not match/);

  // A request captured and replayed later: its signed timestamp is more than five minutes old.
  const body = JSON.stringify(event);
  const captured = signWebhook(body, TEST_SECRETS.WEBHOOK_SECRET, Date.now() - 6 * 60_000);
  const replayed = await h.request("POST", "/webhooks/content", { body, headers: { "content-type": "application/json", ...captured } });
  expect([replayed.status, replayed.body.error.code]).toEqual([401, "stale_signature"]);
  // The old scheme (the body alone, no timestamp) is off unless WEBHOOK_LEGACY_SIGNATURE=1.
  const legacy = `sha256=${createHmac("sha256", TEST_SECRETS.WEBHOOK_SECRET).update(body).digest("hex")}`;
  const old = await h.request("POST", "/webhooks/content", { body, headers: { "content-type": "application/json", "x-signature-256": legacy } });
  expect([old.status, old.body.error.code]).toEqual([401, "missing_timestamp"]);

  const invalid = await h.publish({ type: "content.moved", item: { ...seminar(), kind: "seminar", startsAt: "tomorrow", missions: [] } });
  expect(invalid.status).toBe(422);
  expect(invalid.body.error.code).toBe("invalid_event");
  const fields = invalid.body.error.fields.map((f: { field: string }) => f.field);
  expect(fields).toEqual(expect.arrayContaining(["type", "item.startsAt", "item.missions"]));

  // The bus can answer 200 with failed entries: then the webhook must not say "accepted".
  h.cloud.bus.refuseNext(1);
  const refused = await h.publish(event);
  expect(refused.status).toBe(503);
  expect(refused.body.error.code).toBe("bus_unavailable");

  await h.idle();
  expect((await h.allItems()).filter((i) => String(i.PK).startsWith("CONTENT#"))).toHaveLength(0);
});

it("sends a poison event on the bus to the dead-letter queue with its reason", async () => {
  await h.cloud.bus.publish([{ source: "missions.content", detailType: "content.published", detail: { id: "x", kind: "webinar" } }]);
  await h.idle();
  const dead = h.cloud.contentDeadLetters.items.at(-1);
  expect(dead?.reason).toMatch(/kind/);
  expect(JSON.parse(dead!.body).detail.id).toBe("x");
});

it("alerts immediate subscribers of the mission and topic once, in their language, with unsubscribe headers", async () => {
  const sv = await h.subscribe({ language: "sv", missions: ["mobility"], topics: ["seminar"], cadence: "immediate" });
  const en = await h.subscribe({ language: "en", missions: ["mobility", "food-system"], topics: ["seminar"], cadence: "immediate" });
  const weekly = await h.subscribe({ missions: ["mobility"], topics: ["seminar"], cadence: "weekly" });
  const otherTopic = await h.subscribe({ missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  const otherMission = await h.subscribe({ missions: ["food-system"], topics: ["seminar"], cadence: "immediate" });

  const item = seminar();
  const res = await h.publish({ type: "content.published", item });
  expect(res.status).toBe(202);
  await h.idle();

  const [svMail, ...moreSv] = await contentMails(sv);
  expect(moreSv).toHaveLength(0);
  expect(svMail!.subject).toContain(item.title);
  expect(svMail!.body.html).toContain('lang="sv"');
  // 08:00 UTC on a winter date is 09:00 in Stockholm.
  expect(svMail!.body.text).toMatch(/09\.00–11\.00/);
  expect(svMail!.body.text).toContain(item.registrationUrl);
  const [enMail] = await contentMails(en);
  expect(enMail!.body.html).toContain('lang="en"');
  expect(enMail!.body.text).toMatch(/in Swedish/i);
  for (const mail of [svMail!, enMail!]) {
    expect(header(mail, "List-Unsubscribe")).toMatch(/^<https?:\/\/[^>]+\/unsubscribe\?token=[A-Za-z0-9_.-]+&c=[A-Za-z0-9_-]+>, <mailto:unsubscribe@missions\.example\.org\?subject=unsubscribe%20[A-Za-z0-9_.-]+>$/);
    expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.body.text).toMatch(/\/preferences\?token=[A-Za-z0-9_.-]+/);
  }
  // Each recipient's link carries their own token.
  expect(header(svMail!, "List-Unsubscribe")).not.toBe(header(enMail!, "List-Unsubscribe"));
  for (const address of [weekly, otherTopic, otherMission]) expect(await contentMails(address)).toHaveLength(0);
});

it("changes nothing on a replay, ignores an older version, and tells only those alerted about a changed time", async () => {
  const first = await h.subscribe({ language: "en", missions: ["impact-innovation"], topics: ["seminar"], cadence: "immediate" });
  const v1 = seminar({ missions: ["impact-innovation"], language: "en", title: "Systems change in practice" });
  expect((await h.publish({ type: "content.published", item: v1 })).status).toBe(202);
  await h.idle();
  expect(await contentMails(first)).toHaveLength(1);

  // Replaying the same id and version, and a non-material update, send nothing.
  await h.publish({ type: "content.published", item: v1 });
  await h.publish({ type: "content.updated", item: { ...v1, version: 2, summary: "A longer summary." } });
  await h.idle();
  expect(await contentMails(first)).toHaveLength(1);

  // Someone who joins after the alert must not get the "changed" notice.
  const late = await h.subscribe({ language: "en", missions: ["impact-innovation"], topics: ["seminar"], cadence: "immediate" });
  // Wait out the first subscriber's alert window, so the notice is not collected into a later email.
  await new Promise((r) => setTimeout(r, 2_100));
  const moved = new Date(Date.parse(v1.startsAt) + DAY).toISOString();
  const movedEnd = new Date(Date.parse(v1.endsAt) + DAY).toISOString();
  await h.publish({ type: "content.updated", item: { ...v1, version: 3, startsAt: moved, endsAt: movedEnd, location: "Göteborg" } });
  // An older version arriving late never wins.
  await h.publish({ type: "content.updated", item: { ...v1, version: 2, location: "Malmö" } });
  await h.idle();

  const mails = await contentMails(first);
  expect(mails).toHaveLength(2);
  expect(mails[1]!.body.text).toContain("Göteborg");
  expect(mails[1]!.body.text).toContain("Stockholm");
  expect(await contentMails(late)).toHaveLength(0);
  const [stored] = await h.partition(`CONTENT#${v1.id}`);
  expect((stored!.item as { version: number; location: string }).version).toBe(3);
  expect((stored!.item as { location: string }).location).toBe("Göteborg");
});

it("never alerts about an item version twice: a replay alerts nobody, not even someone who subscribed since", async () => {
  const first = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["news"], cadence: "immediate" });
  const item = { id: `news-${Date.now()}`, version: 1, kind: "news", missions: ["mobility"], language: "en", title: "Replayed news", summary: "Once only.", url: "https://missions.example.org/replayed", publishedAt: new Date().toISOString() };
  expect((await h.publish({ type: "content.published", item })).status).toBe(202);
  await h.idle();
  expect(await contentMails(first)).toHaveLength(1);
  const newcomer = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["news"], cadence: "immediate" });
  expect((await h.publish({ type: "content.published", item })).status).toBe(202);
  await h.idle();
  expect(await contentMails(first)).toHaveLength(1);
  expect(await contentMails(newcomer)).toHaveLength(0);
});

it("collects further alerts inside the window into one email sent at the window's end", async () => {
  const person = await h.subscribe({ language: "sv", missions: ["vision-driven-health"], topics: ["seminar", "publication"], cadence: "immediate" });
  const a = seminar({ missions: ["vision-driven-health"], title: "Första seminariet" });
  const b = seminar({ missions: ["vision-driven-health"], title: "Andra seminariet" });
  const c = { ...seminar({ missions: ["vision-driven-health"] }), kind: "publication", title: "En rapport om jämlik hälsa" };
  delete (c as Record<string, unknown>).startsAt;
  delete (c as Record<string, unknown>).endsAt;
  delete (c as Record<string, unknown>).location;
  delete (c as Record<string, unknown>).registrationUrl;
  for (const item of [a, b, c]) expect((await h.publish({ type: "content.published", item })).status).toBe(202);
  await h.cloud.bus.idle();
  // Whichever item arrives first goes out at once; the other two wait for the window.
  await h.drain();
  const early = await contentMails(person);
  expect(early).toHaveLength(1);
  const titles = ["Första seminariet", "Andra seminariet", "En rapport om jämlik hälsa"];
  const first = titles.filter((t) => early[0]!.subject.includes(t));
  expect(first).toHaveLength(1);

  await h.idle();
  const all = await contentMails(person);
  expect(all).toHaveLength(2);
  for (const t of titles) {
    // Each item reaches the person exactly once: in the first alert or in the collected email.
    expect(all.filter((m) => m.body.text!.includes(t))).toHaveLength(1);
  }
  expect(all[1]!.body.text).not.toContain(first[0]);
});

it("escapes CMS text in the email and keeps header-injection out of the subject", async () => {
  const person = await h.subscribe({ language: "en", missions: ["societal-contract"], topics: ["publication"], cadence: "immediate" });
  const hostile = {
    id: `hostile-${Date.now()}`,
    version: 1,
    kind: "publication",
    missions: ["societal-contract"],
    language: "en",
    title: 'Trust & "participation" <script>alert(1)</script> {{unsubscribeUrl}} 🎉\r\nBcc: victim@example.org',
    summary: "<img src=x onerror=alert(1)> & more",
    url: "https://missions.example.org/p?a=1&b=2",
    publishedAt: new Date().toISOString(),
  };
  expect((await h.publish({ type: "content.published", item: hostile })).status).toBe(202);
  await h.idle();
  const [mail] = await contentMails(person);
  expect(mail!.subject).not.toMatch(/[\r\n]/);
  expect(mail!.subject).toContain("🎉");
  expect(mail!.destination.to).toEqual([person]);
  expect(mail!.body.html).not.toContain("<script>");
  expect(mail!.body.html).not.toContain("<img src=x");
  expect(mail!.body.html).toContain("&lt;script&gt;");
  expect(mail!.body.html).toContain("https://missions.example.org/p?a=1&amp;b=2");
  // The CMS's "{{unsubscribeUrl}}" stays visible text; SES's substitution never sees it as a placeholder.
  expect(mail!.body.text).toMatch(/\{\u200b\{\u200bunsubscribeUrl\u200b\}\u200b\}/);
  expect(mail!.body.html).toContain("&#123;&#123;unsubscribeUrl&#125;&#125;");
  // The CR/LF in the title did not become a header: nobody but the subscriber got the email.
  expect(await h.mailTo("victim@example.org")).toHaveLength(0);
});
