import { createHmac, randomUUID } from "node:crypto";
import { COUNTER_SHARDS } from "../../packages/core/src/platform/table-keys";
import type { EventBridgeEvent } from "aws-lambda";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSesSink, type SesSink } from "../../packages/local/src/ses-sink";
import { startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

let h: Harness;
let sink: SesSink;
beforeAll(async () => {
  h = await startHarness(
    { CONFIGURATION_SET: "mm-plain", CONFIGURATION_SET_TRACKING: "mm-tracking", ALERT_WINDOW_SECONDS: "1" },
    {
      // A counting layer in front of the mailbox, to see which configuration set each email named.
      sesEndpoint: async (mailbox) => {
        sink = await startSesSink({ forwardTo: mailbox });
        return sink.url;
      },
    },
  );
});
afterAll(async () => {
  await h?.stop();
  await sink?.close();
});

const DAY = 86_400_000;
const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const hmac = (address: string) => createHmac("sha256", TEST_SECRETS.ADDRESS_PEPPER).update(address).digest("hex");
const profileOf = async (address: string) => (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address);
const campaignOf = async (key: string) => (await h.partition(`CAMPAIGN#${key}`)).find((i) => i.SK === "META")!;
/** Delivery events counted on a campaign: in its counter shards, not on its header. */
const deliveredOf = async (key: string) => {
  const shards = await Promise.all(Array.from({ length: COUNTER_SHARDS }, (_, i) => h.partition(`CAMPAIGN#${key}#COUNTERS#${i}`)));
  return shards.flat().reduce((n, item) => n + ((item.delivered as number | undefined) ?? 0), 0);
};
let n = 0;
function publication(missions: string[], title: string) {
  n += 1;
  return { type: "content.published", item: { id: `fb-${n}`, version: 1, kind: "publication", missions, language: "en", title, summary: "Summary.", url: "https://missions.example.org/p", publishedAt: new Date(Date.now() - DAY).toISOString() } };
}
/**
 * The first alert to a new subscriber: sent at once, since the alert window (1 s here) is a
 * subscriber's own and opens with their first alert. A second alert to the same address must wait
 * the window out first (the hard-bounce test does).
 */
async function alertTo(address: string, mission: string, title: string): Promise<StoredEmail> {
  await h.publish(publication([mission], title));
  await h.idle();
  const mail = (await h.mailTo(address)).find((m) => m.body.text?.includes(title));
  if (!mail) throw new Error(`no alert "${title}" for ${address}`);
  return mail;
}
async function inject(type: string, messageId: string) {
  const res = await h.request("POST", "/_local/ses-events", { json: { type, messageId } });
  expect(res.status, res.text).toBe(202);
  await h.idle();
  return res.body;
}
const feedbackRun = async () => (await import("../../packages/functions/src/events/ses-feedback")).run;
const invoke = async (event: EventBridgeEvent<string, unknown>) => (await feedbackRun())(event as never, undefined, h.cloud.wiring);

it("sends through the configuration set without tracking unless the subscriber turned tracking on", async () => {
  const plain = await h.subscribe({ missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  const tracked = await h.subscribe({ missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  const id = (await profileOf(tracked))!.subscriberId as string;
  // The subscriber's own choice, through the preference centre's API.
  const { issueToken } = await import("../../packages/core/src/shared/tokens");
  const token = issueToken(TEST_SECRETS.TOKEN_KEYS.split(","), "manage", id, Date.now());
  expect((await h.request("PUT", `/api/preferences?token=${token}`, { json: { missions: ["mobility"], topics: ["publication"], cadence: "immediate", language: "en", tracking: true } })).status).toBe(200);

  const mail = await alertTo(plain, "mobility", "Privacy report");
  expect(sink.configurationSets().get(plain)!.at(-1)).toBe("mm-plain");
  expect(sink.configurationSets().get(tracked)!.at(-1)).toBe("mm-tracking");
  // Without tracking the email is as we wrote it: no pixel, links straight to their targets.
  expect(mail.body.html).not.toMatch(/<img[^>]+(width="1"|height="1")/);
  expect(mail.body.html).toContain("https://missions.example.org/p");
  // Confirmation emails never track.
  const confirmations = [...sink.configurationSets().get(tracked)!].slice(0, 1);
  expect(confirmations).toEqual(["mm-plain"]);
});

it("suppresses on a hard bounce: counted on the campaign and the delivery, and the next send skips the address", async () => {
  const person = await h.subscribe({ missions: ["food-system"], topics: ["publication"], cadence: "immediate" });
  const mail = await alertTo(person, "food-system", "Bounce report one");
  const injected = await inject("bounce", mail.messageId);
  expect(injected.tags.campaign).toBeTruthy();

  expect((await h.partition(`SUPP#${hmac(person)}`))[0]).toMatchObject({ reason: "hard-bounce" });
  const campaign = Buffer.from(injected.tags.campaign[0], "base64url").toString();
  expect(campaign).toMatch(/^alert#fb-\d+#1$/);
  expect(await campaignOf(campaign)).toMatchObject({ bounced: 1 });
  const id = (await profileOf(person))!.subscriberId as string;
  const delivery = (await h.partition(`SUB#${id}`)).find((i) => i.SK === `DELIVERY#${campaign}`)!;
  expect(Object.keys(delivery.feedback as object)).toEqual(["bounce:Permanent"]);

  await new Promise((r) => setTimeout(r, 1_100)); // past this subscriber's 1 s alert window, so the item is its own email
  await h.publish(publication(["food-system"], "Bounce report two"));
  await h.idle();
  expect((await h.mailTo(person)).filter((m) => m.body.text?.includes("Bounce report two"))).toHaveLength(0);
});

it("on a complaint suppresses, unsubscribes and records a withdrawal, and a redelivered event counts once", async () => {
  const person = await h.subscribe({ missions: ["impact-innovation"], topics: ["publication"], cadence: "immediate" });
  const mail = await alertTo(person, "impact-innovation", "Complaint report");
  const injected = await inject("complaint", mail.messageId);
  const campaign = Buffer.from(injected.tags.campaign[0], "base64url").toString();

  const profile = (await profileOf(person))!;
  expect(profile.status).toBe("unsubscribed");
  const partition = await h.partition(profile.PK as string);
  expect(partition.filter((i) => String(i.SK).startsWith("MEMBER#"))).toHaveLength(0);
  expect(partition.filter((i) => String(i.SK).startsWith("CONSENT#")).at(-1)).toMatchObject({ event: "withdrawn", source: "feedback" });
  expect((await h.partition(`SUPP#${hmac(person)}`))[0]).toMatchObject({ reason: "complaint" });
  expect(await campaignOf(campaign)).toMatchObject({ complained: 1 });

  // EventBridge delivers at least once: the same event (same id) again changes no counter and no ledger.
  const event = {
    version: "0",
    id: randomUUID(),
    source: "aws.ses",
    "detail-type": "Email Delivered",
    account: "000000000000",
    time: new Date().toISOString(),
    region: "eu-north-1",
    resources: [],
    detail: { eventType: "Delivery", mail: { messageId: mail.messageId, destination: [person], tags: injected.tags }, delivery: { recipients: [person] } },
  };
  await invoke(event);
  const noted = async () => (await h.partition(profile.PK as string)).find((i) => i.SK === `DELIVERY#${campaign}`)?.feedback as Record<string, string> | undefined;
  const first = (await noted())?.Delivery;
  expect(first).toBeDefined();
  await invoke(event);
  await invoke({ ...event, id: randomUUID() });
  expect(await campaignOf(campaign)).toMatchObject({ complained: 1 });
  // An alert's Delivery events are noted on the recipient's delivery record (keeping the first time),
  // not counted: only announcements show staff a delivered count.
  expect((await noted())?.Delivery).toBe(first);
  expect(await deliveredOf(campaign)).toBe(0);
  expect((await h.partition(profile.PK as string)).filter((i) => i.event === "withdrawn")).toHaveLength(1);
});

it("counts soft bounces per address and suppresses at the third within 30 days, each event once", async () => {
  const person = await h.subscribe({ missions: ["societal-contract"], topics: ["publication"], cadence: "immediate" });
  const mail = await alertTo(person, "societal-contract", "Soft report");
  const soft = (id: string) => ({
    version: "0",
    id,
    source: "aws.ses",
    "detail-type": "Email Bounced",
    account: "000000000000",
    time: new Date().toISOString(),
    region: "eu-north-1",
    resources: [],
    detail: { eventType: "Bounce", mail: { messageId: mail.messageId, destination: [person] }, bounce: { bounceType: "Transient", bounceSubType: "MailboxFull", bouncedRecipients: [{ emailAddress: person }] } },
  });
  const first = soft(randomUUID());
  await invoke(first);
  await invoke(first);
  await invoke(first);
  await invoke(soft(randomUUID()));
  expect(await h.partition(`SUPP#${hmac(person)}`)).toHaveLength(0);
  await invoke(soft(randomUUID()));
  expect((await h.partition(`SUPP#${hmac(person)}`))[0]).toMatchObject({ reason: "soft-bounces" });
});

it("marks a rendering failure on the batch entry with SES's reason, moving the counters once", async () => {
  const person = await h.subscribe({ missions: ["vision-driven-health"], topics: ["publication"], cadence: "immediate" });
  const mail = await alertTo(person, "vision-driven-health", "Render report");
  const before = await inject("delivery", mail.messageId);
  const campaign = Buffer.from(before.tags.campaign[0], "base64url").toString();
  const counters = await campaignOf(campaign);
  await inject("rendering-failure", mail.messageId);
  await inject("rendering-failure", mail.messageId);
  const id = (await profileOf(person))!.subscriberId as string;
  const batch = (await h.partition(`CAMPAIGN#${campaign}#BATCH#${String(before.tags.batch[0]).padStart(6, "0")}`)).find((i) => i.SK === "BATCH")!;
  expect((batch.results as Record<string, string>)[id]).toMatch(/^failed:rendering: Attribute 'name' is not present/);
  const after = await campaignOf(campaign);
  expect(after.sent).toBe((counters.sent as number) - 1);
  expect(after.failed).toBe(((counters.failed as number) ?? 0) + 1);
  expect(after.renderingFailed).toBe(2);
});

it("dead-letters malformed SES events with their reason and stores nothing", async () => {
  const before = (await h.allItems()).length;
  const base = { version: "0", id: randomUUID(), account: "0", time: "", region: "eu-north-1", resources: [] };
  await invoke({ ...base, source: "aws.ses", "detail-type": "Email Bounced", detail: { eventType: "Bounce", mail: { messageId: "m-1" } } });
  await invoke({ ...base, source: "aws.ses", "detail-type": "Email Bounced", detail: { eventType: "Explode", mail: {} } });
  await invoke({ ...base, source: "evil.source", "detail-type": "Email Bounced", detail: {} });
  const reasons = h.cloud.feedbackDeadLetters.items.map((d) => d.reason);
  expect(reasons[0]).toContain('A Bounce event needs its "bounce" object');
  expect(reasons[1]).toContain("eventType");
  expect(reasons[2]).toContain('source is "evil.source"');
  expect((await h.allItems()).length).toBe(before);

  const missing = await h.request("POST", "/_local/ses-events", { json: { type: "bounce", messageId: "nope" } });
  expect(missing.status).toBe(404);
  expect((await h.request("POST", "/_local/ses-events", { json: { type: "meltdown", messageId: "x" } })).status).toBe(400);
});

it("a staff digest run's counters are visible to staff (sent), and feedback adds to them", async () => {
  const person = await h.subscribe({ missions: ["mobility"], topics: ["seminar"], cadence: "weekly" });
  const start = new Date(Date.now() + 4 * DAY);
  await h.publish({ type: "content.published", item: { id: "fb-seminar", version: 1, kind: "seminar", missions: ["mobility"], language: "en", title: "Feedback seminar", summary: "S.", url: "https://missions.example.org/s", publishedAt: new Date().toISOString(), startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), location: "Umeå" } });
  await h.idle();
  const run = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: staff });
  await h.idle();
  const digest = (await h.mailTo(person)).find((m) => m.body.text?.includes("Feedback seminar"))!;
  const injected = await inject("delivery", digest.messageId);
  const campaign = Buffer.from(injected.tags.campaign[0], "base64url").toString();
  expect(campaign).toMatch(/^digest#weekly#\d{4}-W\d{2}$/);
  // A digest's Delivery events are noted in the recipient's history, which the data export shows, and counted nowhere.
  expect((await campaignOf(campaign)).delivered).toBeUndefined();
  expect(await deliveredOf(campaign)).toBe(0);
  const profile = (await profileOf(person))!;
  expect((await h.partition(profile.PK as string)).find((i) => i.SK === `DELIVERY#${campaign}`)).toMatchObject({ status: "sent", feedback: { Delivery: expect.any(String) } });
  expect((await h.request("GET", `/api/staff/runs/${run.body.runId}`, { headers: staff })).body.sent).toBeGreaterThanOrEqual(1);
});
