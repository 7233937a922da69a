import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addressHmac } from "../../packages/core/src/shared/email-address";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { linkToken, isSubscriptionMail, startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

// The real ten-minute alert window: the plan queue's time is moved forward to reach its end.
const WINDOW_MS = 600_000;
let h: Harness;
let staff: Record<string, string>;
beforeAll(async () => {
  h = await startHarness({ ALERT_WINDOW_SECONDS: String(WINDOW_MS / 1000) });
  staff = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "anna@example.org", groups: ["staff", "publisher"] })}` };
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
/** A seminar of these missions, three weeks ahead, with a title no other test uses. */
function seminar(missions: string[], title: string) {
  const start = new Date(Date.now() + 21 * DAY);
  start.setUTCHours(8, 0, 0, 0);
  return {
    id: `seminar-${randomBytes(4).toString("hex")}`,
    version: 1,
    kind: "seminar",
    missions,
    language: "en",
    title,
    summary: "A conversation about what comes next.",
    url: "https://missions.example.org/events/next",
    publishedAt: new Date().toISOString(),
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    location: "Stockholm",
  };
}

/** Adds a mission through the staff API, so each test retires its own. */
async function newMission(): Promise<string> {
  const id = `mission-${randomBytes(3).toString("hex")}`;
  const res = await h.request("POST", "/api/staff/missions", {
    headers: staff,
    json: { id, name: { sv: `Mission ${id}`, en: `Mission ${id}` }, description: { sv: "En mission.", en: "A mission." }, contact: "team@example.org" },
  });
  expect(res.status).toBe(201);
  return id;
}

async function publish(item: ReturnType<typeof seminar>) {
  expect((await h.publish({ type: "content.published", item })).status).toBe(202);
  await h.cloud.bus.idle();
  await h.drain();
}

const isRetirementNotice = (m: StoredEmail) => /mission you follow has ended/.test(m.subject);
const contentMails = async (address: string) => (await h.mailTo(address)).filter((m) => !isSubscriptionMail(m) && !isRetirementNotice(m));

/** Retires a mission as staff do, and waits until its followers' notices have been sent. */
async function retire(missionId: string, follower: string) {
  expect((await h.request("POST", `/api/staff/missions/${missionId}/retire`, { headers: staff })).status).toBe(202);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    await h.drain();
    if ((await h.mailTo(follower)).some(isRetirementNotice)) return;
  }
  throw new Error(`No retirement notice for ${missionId}`);
}

/** Lets the alert windows' ten minutes pass, and everything they cause run. */
async function windowEnds() {
  h.cloud.planQueue.advance(WINDOW_MS);
  await h.idle();
}

const subscriberId = async (address: string) => (await h.partition(`ADDR#${addressHmac(address, TEST_SECRETS.ADDRESS_PEPPER)}`))[0]!.subscriberId as string;
/** The items still collected in a subscriber's alert windows. */
const collected = async (address: string) =>
  (await h.partition(`SUB#${await subscriberId(address)}`)).filter((i) => String(i.SK).startsWith("ALERTQ#")).flatMap((i) => [...((i.items as Set<string> | undefined) ?? [])]);

it("sends no collected alerts for a mission retired inside the window, after its 'mission has ended' email", async () => {
  const mission = await newMission();
  const person = await h.subscribe({ language: "en", missions: [mission], topics: ["seminar"], cadence: "immediate" });
  const first = seminar([mission], "The first seminar");
  const second = seminar([mission], "The second seminar");
  await publish(first);
  await publish(second);
  // The first alert went out at once and opened the window; the second waits in it.
  expect((await contentMails(person)).map((m) => m.subject)).toEqual([expect.stringContaining(first.title)]);
  expect(await collected(person)).toEqual([`${second.id}#1`]);

  await retire(mission, person);
  // Retiring takes the mission's item out of the open window.
  await expect.poll(() => collected(person)).toEqual([]);
  await windowEnds();

  const mails = await contentMails(person);
  expect(mails).toHaveLength(1);
  expect(mails.some((m) => m.body.text?.includes(second.title))).toBe(false);
  expect((await h.mailTo(person)).filter(isRetirementNotice)).toHaveLength(1);
});

it("still sends the other mission's item when a window holds items of two missions and one is retired", async () => {
  const [retired, kept] = [await newMission(), await newMission()];
  const person = await h.subscribe({ language: "en", missions: [retired, kept], topics: ["seminar"], cadence: "immediate" });
  const opener = seminar([kept], "The seminar that opens the window");
  const ofRetired = seminar([retired], "A seminar of the retired mission");
  const ofKept = seminar([kept], "A seminar of the mission that goes on");
  const ofBoth = seminar([retired, kept], "A seminar of both missions");
  for (const item of [opener, ofRetired, ofKept, ofBoth]) await publish(item);
  expect(await contentMails(person)).toHaveLength(1);

  await retire(retired, person);
  await expect.poll(async () => (await collected(person)).sort()).toEqual([`${ofBoth.id}#1`, `${ofKept.id}#1`].sort());
  await windowEnds();

  const [, bundle, ...more] = await contentMails(person);
  expect(more).toHaveLength(0);
  expect(bundle!.body.text).toContain(ofKept.title);
  // Tagged with a mission the person still follows, it still concerns them.
  expect(bundle!.body.text).toContain(ofBoth.title);
  expect(bundle!.body.text).not.toContain(ofRetired.title);
  expect(bundle!.body.html).not.toContain(ofRetired.title);
});

it("leaves out a retired mission's items when the window ends before the retirement has reached its followers", async () => {
  const mission = await newMission();
  const person = await h.subscribe({ language: "en", missions: [mission], topics: ["seminar"], cadence: "immediate" });
  await publish(seminar([mission], "An opening seminar"));
  const second = seminar([mission], "A seminar collected before the retirement");
  await publish(second);

  // The window's end is handled before the retirement job: only the catalogue knows yet.
  h.cloud.planQueue.pause();
  expect((await h.request("POST", `/api/staff/missions/${mission}/retire`, { headers: staff })).status).toBe(202);
  h.cloud.planQueue.advance(WINDOW_MS);
  h.cloud.planQueue.resume();
  await h.idle();

  expect(await contentMails(person)).toHaveLength(1);
  expect((await h.mailTo(person)).filter(isRetirementNotice)).toHaveLength(1);
});

it("leaves out the items of a mission the subscriber stopped following inside the window", async () => {
  const [dropped, kept] = [await newMission(), await newMission()];
  const person = await h.subscribe({ language: "en", missions: [dropped, kept], topics: ["seminar"], cadence: "immediate" });
  await publish(seminar([kept], "A seminar that opens this window"));
  const ofDropped = seminar([dropped], "A seminar of the mission left behind");
  const ofKept = seminar([kept], "A seminar of the mission still followed");
  await publish(ofDropped);
  await publish(ofKept);

  const [alert] = await contentMails(person);
  const put = await h.request("PUT", `/api/preferences?token=${linkToken(alert!, "/preferences")}`, {
    json: { missions: [kept], topics: ["seminar"], cadence: "immediate", language: "en", tracking: false },
  });
  expect(put.status).toBe(200);
  await windowEnds();

  const [, bundle, ...more] = await contentMails(person);
  expect(more).toHaveLength(0);
  expect(bundle!.body.text).toContain(ofKept.title);
  expect(bundle!.body.text).not.toContain(ofDropped.title);
});
