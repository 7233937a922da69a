import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoMissionCatalogue } from "../../packages/core/src/missions/dynamo-mission-catalogue";
import { startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

/**
 * Replies reach a person: every email carries a Reply-To, recorded by the local mailbox (its `/store`
 * JSON) as SES v2 received it. Mail about one mission answers to its team's address, set by staff;
 * digests across missions and account mail answer to the service's general address. Both send paths
 * are covered: SendEmail (transactional, and the single mode) and SendBulkEmail (campaigns).
 */

const GENERAL = "Missions <info@missions.example.org>";
const FOOD_TEAM = "matsystemet@missions.example.org";
const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const DAY = 86_400_000;

let h: Harness;
let single: Harness | undefined;
beforeAll(async () => {
  h = await startHarness({ ALERT_WINDOW_SECONDS: "1" });
});
afterAll(async () => {
  await h?.stop();
  await single?.stop();
});

let n = 0;
function seminar(missions: string[]) {
  n += 1;
  const start = new Date(Date.now() + 10 * DAY);
  return {
    id: `reply-seminar-${n}-${Math.random().toString(36).slice(2, 8)}`,
    version: 1,
    kind: "seminar",
    missions,
    language: "sv",
    title: `Seminarium ${n} om matsvinn`,
    summary: "Hur halverar vi matsvinnet?",
    url: "https://missions.example.org/evenemang/matsvinn",
    publishedAt: new Date().toISOString(),
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 7_200_000).toISOString(),
    location: "Stockholm",
  };
}

const mailWith = async (harness: Harness, address: string, matches: (m: StoredEmail) => boolean) => (await harness.mailTo(address)).filter(matches);

async function setTeamAddress(harness: Harness, id: string, teamAddress: string | undefined) {
  const current = (await harness.request("GET", `/api/staff/missions/${id}`, { headers: staff })).body;
  const { version, name, description, contact } = current;
  return harness.request("PUT", `/api/staff/missions/${id}`, { json: { version, name, description, contact, ...(teamAddress === undefined ? {} : { teamAddress }) }, headers: staff });
}

describe("Reply-To", () => {
  it("staff set a mission's team address; a bad one is refused naming the field, and nothing is stored", async () => {
    const bad = await setTeamAddress(h, "food-system", "not an address");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(["teamAddress"]);
    expect((await h.request("GET", "/api/staff/missions/food-system", { headers: staff })).body.teamAddress).toBeUndefined();

    const ok = await setTeamAddress(h, "food-system", ` ${FOOD_TEAM} `);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ teamAddress: FOOD_TEAM, version: 2 });
    // It is the staff's setting, not a public field.
    expect((await h.request("GET", "/api/missions")).body.missions.find((m: { id: string }) => m.id === "food-system")).not.toHaveProperty("teamAddress");
  });

  it("account mail answers to the general address; an alert about one mission to its team; a digest across missions to the general address", async () => {
    const reader = await h.subscribe({ language: "sv", missions: ["food-system", "mobility"], topics: ["seminar"], cadence: "immediate" });
    const [confirmation] = await mailWith(h, reader, (m) => m.body.text?.includes("/confirm?token=") ?? false);
    expect(confirmation!.replyTo).toEqual([GENERAL]);
    expect(confirmation!.from).toBe("Missions <news@missions.example.org>");

    // One mission with a team address: its team. Two missions with different addresses: the general one.
    const food = seminar(["food-system"]);
    expect((await h.publish({ type: "content.published", item: food })).status).toBe(202);
    await h.idle();
    const [alert] = await mailWith(h, reader, (m) => m.subject.includes(food.title));
    expect(alert!.replyTo).toEqual([FOOD_TEAM]);
    expect(alert!.from).toBe("Missions <news@missions.example.org>");
    await new Promise((r) => setTimeout(r, 1_100));

    const both = seminar(["food-system", "mobility"]);
    expect((await h.publish({ type: "content.published", item: both })).status).toBe(202);
    await h.idle();
    const [shared] = await mailWith(h, reader, (m) => m.subject.includes(both.title));
    expect(shared!.replyTo).toEqual([GENERAL]);

    const weekly = await h.subscribe({ language: "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" });
    const run = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: staff });
    expect(run.status).toBe(202);
    await h.idle();
    const [digest] = await mailWith(h, weekly, (m) => /weekly update/.test(m.subject));
    expect(digest!.replyTo).toEqual([GENERAL]);
    expect(digest!.body.html).toContain("Just reply to this email");
  });

  it("a retired mission's notice answers to its team", async () => {
    const follower = await h.subscribe({ language: "en", missions: ["food-system", "mobility"], topics: ["news"], cadence: "weekly" });
    expect((await h.request("POST", "/api/staff/missions/food-system/retire", { headers: staff })).status).toBe(202);
    await h.idle();
    const [notice] = await mailWith(h, follower, (m) => /mission you follow has ended/.test(m.subject));
    expect(notice!.replyTo).toEqual([FOOD_TEAM]);
  });

  it("REPLY_TO sets the general address, in the single send mode too", async () => {
    single = await startHarness({ SEND_MODE: "single", REPLY_TO: "Missions-redaktionen <redaktionen@missions.example.org>", ALERT_WINDOW_SECONDS: "1" });
    await setTeamAddress(single, "mobility", "mobilitet@missions.example.org");
    const reader = await single.subscribe({ language: "en", missions: ["mobility"], topics: ["seminar"], cadence: "immediate" });
    const [confirmation] = await mailWith(single, reader, (m) => m.body.text?.includes("/confirm?token=") ?? false);
    expect(confirmation!.replyTo).toEqual(["Missions-redaktionen <redaktionen@missions.example.org>"]);
    const item = seminar(["mobility"]);
    await single.publish({ type: "content.published", item });
    await single.idle();
    const [alert] = await mailWith(single, reader, (m) => m.subject.includes(item.title));
    expect(alert!.replyTo).toEqual(["mobilitet@missions.example.org"]);
  });

  it("the catalogue updates a mission without updatedAt, and removes a team address that is left out", async () => {
    const catalogue = new DynamoMissionCatalogue(h.doc, h.cloud.tableName);
    const mobility = (await catalogue.get("mobility"))!;
    const { updatedAt: _u, ...withoutTime } = { ...mobility, teamAddress: "team@missions.example.org" };
    expect(await catalogue.update(withoutTime, mobility.version)).toBe("updated");
    const updated = (await catalogue.get("mobility"))!;
    expect(updated).toMatchObject({ teamAddress: "team@missions.example.org", version: mobility.version + 1 });
    const { teamAddress: _t, ...withoutTeam } = updated;
    expect(await catalogue.update(withoutTeam, updated.version)).toBe("updated");
    expect((await catalogue.get("mobility"))!.teamAddress).toBeUndefined();
    // A stale version still conflicts.
    expect(await catalogue.update(withoutTeam, updated.version)).toBe("conflict");
  });
});
