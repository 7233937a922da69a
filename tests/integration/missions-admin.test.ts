import { ulid } from "ulid";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoAlertWindows } from "../../packages/core/src/digest/dynamo-alert-windows";
import { DynamoContentStore } from "../../packages/core/src/content/dynamo-content-store";
import { DynamoMissionCatalogue } from "../../packages/core/src/missions/dynamo-mission-catalogue";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { DynamoSubscriberStore } from "../../packages/core/src/subscription/dynamo-subscriber-store";
import { completeRetirement } from "../../packages/core/src/missions/retire-mission";
import type { PlanJob } from "../../packages/core/src/shared/jobs";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import { addressHmac } from "../../packages/core/src/shared/email-address";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { linkToken, signUp, startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

let h: Harness;
let anna: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
  anna = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "anna@example.org", groups: ["staff", "publisher"] })}` };
});
afterAll(() => h?.stop());

const header = (mail: StoredEmail, name: string) => mail.headers?.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
const idOf = async (address: string) => (await h.partition(`ADDR#${addressHmac(address, TEST_SECRETS.ADDRESS_PEPPER)}`))[0]!.subscriberId as string;
const profileOf = async (address: string) => (await h.partition(`SUB#${await idOf(address)}`)).find((i) => i.SK === "PROFILE")!;
const membershipsOf = async (address: string) => (await h.partition(`SUB#${await idOf(address)}`)).filter((i) => String(i.SK).startsWith("MEMBER#")).map((i) => String(i.SK));
const ledgerOf = async (address: string) => (await h.partition(`SUB#${await idOf(address)}`)).filter((i) => String(i.SK).startsWith("CONSENT#"));
const missionItems = async () => JSON.stringify(await h.partition("MISSIONS"));
const retirementMail = async (address: string) => (await h.mailTo(address)).filter((m) => /mission you follow has ended|mission du följer har avslutats/.test(m.subject));
const auditEntries = async () => (await h.request("GET", "/api/staff/audit?limit=200", { headers: anna })).body.entries as { action: string; targetId: string; actor: { email?: string }; details: Record<string, unknown> }[];

const circular = {
  id: "circular-economy",
  name: { sv: "Cirkulär ekonomi", en: "Circular economy" },
  description: { sv: "Resurser som används om och om igen.", en: "Resources used again and again." },
  contact: "team-circular@example.org",
};

describe("missions managed by staff", () => {
  it("lists every mission with its version and status", async () => {
    const res = await h.request("GET", "/api/staff/missions", { headers: anna });
    expect(res.status).toBe(200);
    expect(res.body.missions.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(["food-system", "mobility", "vision-driven-health", "impact-innovation", "societal-contract"]));
    for (const m of res.body.missions) expect(m).toMatchObject({ status: "active", version: 1, contact: expect.stringMatching(/@example\.org$/) });
  });

  it("adds a mission that the public pages and the sign-up offer at once; a taken id is 409", async () => {
    const res = await h.request("POST", "/api/staff/missions", { json: circular, headers: anna });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...circular, status: "active", version: 1 });
    expect(res.headers.get("location")).toBe("/api/staff/missions/circular-economy");

    expect((await h.request("GET", "/api/missions")).body.missions.find((m: { id: string }) => m.id === "circular-economy")).toEqual({ ...circular, status: "active" });
    expect((await h.request("GET", "/missions/circular-economy?lang=en")).text).toContain("Circular economy");
    expect((await h.request("POST", "/api/subscriptions", { json: signUp({ missions: ["circular-economy"] }) })).status).toBe(202);

    const again = await h.request("POST", "/api/staff/missions", { json: { ...circular, name: { sv: "Annan", en: "Other" } }, headers: anna });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("mission_exists");
    expect((await h.request("GET", "/api/staff/missions/circular-economy", { headers: anna })).body.name.en).toBe("Circular economy");
  });

  it("refuses bad missions with 400 and every bad field, storing nothing", async () => {
    const before = await missionItems();
    const cases: [unknown, string[]][] = [
      [{ ...circular, id: "Not Kebab" }, ["id"]],
      [{ ...circular, id: "x-1", name: { sv: "Namn" } }, ["name.en"]],
      [{ ...circular, id: "x-2", description: { sv: " ", en: "ok" }, contact: "not an address" }, ["description.sv", "contact"]],
      [{ ...circular, id: "x-3", extra: true }, ["(body)"]],
      [{ id: "x-4" }, ["name", "description", "contact"]],
    ];
    for (const [body, fields] of cases) {
      const res = await h.request("POST", "/api/staff/missions", { json: body, headers: anna });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(fields));
    }
    expect(await missionItems()).toBe(before);
  });

  it("edits with optimistic concurrency: a stale version is 409 and stores nothing", async () => {
    const current = (await h.request("GET", "/api/staff/missions/vision-driven-health", { headers: anna })).body;
    const edit = { version: current.version, name: { ...current.name, en: "Vision-driven health for all" }, description: current.description, contact: "team-health-new@example.org" };
    const res = await h.request("PUT", "/api/staff/missions/vision-driven-health", { json: edit, headers: anna });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: current.version + 1, name: { en: "Vision-driven health for all", sv: current.name.sv }, contact: "team-health-new@example.org" });
    expect((await h.request("GET", "/missions/vision-driven-health?lang=en")).text).toContain("Vision-driven health for all");

    const before = await missionItems();
    const stale = await h.request("PUT", "/api/staff/missions/vision-driven-health", { json: { ...edit, name: { ...edit.name, en: "Lost update" } }, headers: anna });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "version_conflict", message: expect.stringMatching(/reload/) });
    const bad = await h.request("PUT", "/api/staff/missions/vision-driven-health", { json: { ...edit, version: current.version + 1, contact: "nope" }, headers: anna });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ field: "contact", message: expect.any(String) }]);
    expect((await h.request("PUT", "/api/staff/missions/no-such-mission", { json: edit, headers: anna })).status).toBe(404);
    expect(await missionItems()).toBe(before);
  });

  it("answers 401 without a token and 403 outside the staff group on every mission route, storing nothing", async () => {
    const editor = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "ed@example.org", groups: ["editors"] })}` };
    const before = await missionItems();
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/staff/missions"],
      ["POST", "/api/staff/missions", { ...circular, id: "sneaky" }],
      ["GET", "/api/staff/missions/food-system"],
      ["PUT", "/api/staff/missions/food-system", { version: 1, ...circular }],
      ["POST", "/api/staff/missions/food-system/retire", {}],
    ];
    for (const [method, path, json] of calls) {
      const init = json === undefined ? {} : { json };
      expect((await h.request(method, path, init)).status, `${method} ${path}`).toBe(401);
      const forbidden = await h.request(method, path, { ...init, headers: editor });
      expect(forbidden.status, `${method} ${path}`).toBe(403);
      expect(forbidden.body.error.code).toBe("forbidden");
    }
    expect(await missionItems()).toBe(before);
  });
});

describe("retiring a mission", () => {
  let both: string; // food-system and mobility, English
  let only: string; // food-system only, Swedish, immediate news
  let other: string; // mobility only
  let gone: string; // food-system, unsubscribed
  let pending: { email: string; token: string }; // signed up for food-system and mobility, not confirmed yet

  beforeAll(async () => {
    both = await h.subscribe({ language: "en", missions: ["food-system", "mobility"], topics: ["seminar", "publication"], cadence: "weekly" });
    only = await h.subscribe({ language: "sv", missions: ["food-system"], topics: ["news"], cadence: "immediate" });
    other = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["seminar"], cadence: "monthly" });
    gone = await h.subscribe({ language: "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" });
    const id = await idOf(gone);
    expect((await h.request("POST", `/unsubscribe?token=${issueToken(TEST_SECRETS.TOKEN_KEYS.split(","), "manage", id, Date.now())}`)).status).toBe(200);

    const body = signUp({ language: "en", missions: ["food-system", "mobility"], topics: ["seminar"] });
    expect((await h.request("POST", "/api/subscriptions", { json: body })).status).toBe(202);
    await h.drain();
    pending = { email: body.email, token: linkToken((await h.mailTo(body.email))[0]!, "/confirm") };
  });

  it("answers 202, tells each follower once in their language, and takes the mission out of their choices", async () => {
    const res = await h.request("POST", "/api/staff/missions/food-system/retire", { headers: anna });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ mission: { id: "food-system", status: "retired", version: 2 }, campaign: "mission-retired#food-system" });
    await h.idle();

    const [toBoth, ...moreBoth] = await retirementMail(both);
    expect(moreBoth).toHaveLength(0);
    expect(toBoth!.subject).toBe("A mission you follow has ended: A new recipe for the food system");
    expect(toBoth!.body.text).toMatch(/other missions you follow/);
    expect(toBoth!.body.html).toContain('lang="en"');
    expect(header(toBoth!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    const [toOnly, ...moreOnly] = await retirementMail(only);
    expect(moreOnly).toHaveLength(0);
    expect(toOnly!.subject).toBe("En mission du följer har avslutats: Ett nytt recept för matsystemet");
    expect(toOnly!.body.text).toMatch(/den enda missionen du följde/);
    expect(toOnly!.body.html).toContain('lang="sv"');

    expect(await retirementMail(other)).toHaveLength(0);
    expect(await retirementMail(gone)).toHaveLength(0);
    expect(await retirementMail(pending.email)).toHaveLength(0);

    // The preferences link carries a fresh manage token; the mission is gone from the choices.
    const prefs = await h.request("GET", `/api/preferences?token=${linkToken(toBoth!, "/preferences")}`);
    expect(prefs.body).toMatchObject({ status: "active", missions: ["mobility"] });
    expect(prefs.body.available.map((m: { id: string }) => m.id)).not.toContain("food-system");
    const onlyPrefs = await h.request("GET", `/api/preferences?token=${linkToken(toOnly!, "/preferences")}`);
    expect(onlyPrefs.body).toMatchObject({ status: "active", missions: [] });

    expect((await profileOf(both)).missions).toEqual(["mobility"]);
    expect(await membershipsOf(both)).toEqual(["MEMBER#mobility#publication", "MEMBER#mobility#seminar"]);
    expect(await membershipsOf(only)).toEqual([]);
    expect((await profileOf(other)).missions).toEqual(["mobility"]);
    const last = (await ledgerOf(both)).at(-1)!;
    expect(last).toMatchObject({ event: "updated", source: "staff", reason: "mission-retired:food-system", missions: ["mobility"] });
    expect((await ledgerOf(gone)).at(-1)).toMatchObject({ event: "withdrawn" });

    const status = (await h.request("GET", "/api/staff/missions/food-system", { headers: anna })).body;
    expect(status).toMatchObject({ status: "retired", retiredAt: expect.any(String), retirement: { campaign: "mission-retired#food-system", state: "done", planned: 2, sent: 2, failed: 0 } });
  });

  it("never emails anyone twice, however often it is retired", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await h.request("POST", "/api/staff/missions/food-system/retire", { headers: anna });
      expect(res.status).toBe(202);
    }
    // A redelivered job, as SQS may deliver it again.
    await h.cloud.planQueue.enqueue({ kind: "retire-mission", missionId: "food-system" });
    await h.idle();
    expect(await retirementMail(both)).toHaveLength(1);
    expect(await retirementMail(only)).toHaveLength(1);
    expect((await h.request("GET", "/api/staff/missions/food-system", { headers: anna })).body).toMatchObject({ version: 2, retirement: { planned: 2, sent: 2 } });
  });

  it("is no longer offered: public pages 404, sign-ups and preference changes refuse it, and it cannot be edited", async () => {
    expect((await h.request("GET", "/missions/food-system")).status).toBe(404);
    expect((await h.request("GET", "/api/missions")).body.missions.map((m: { id: string }) => m.id)).not.toContain("food-system");
    const signup = await h.request("POST", "/api/subscriptions", { json: signUp({ missions: ["food-system"] }) });
    expect(signup.status).toBe(400);
    expect(signup.body.error.fields).toEqual([{ field: "missions.0", message: 'Unknown mission "food-system".' }]);

    const [mail] = await retirementMail(both);
    const put = await h.request("PUT", `/api/preferences?token=${linkToken(mail!, "/preferences")}`, {
      json: { missions: ["mobility", "food-system"], topics: ["seminar"], cadence: "weekly", language: "en", tracking: false },
    });
    expect(put.status).toBe(400);

    const current = (await h.request("GET", "/api/staff/missions/food-system", { headers: anna })).body;
    const edit = await h.request("PUT", "/api/staff/missions/food-system", { json: { version: current.version, name: current.name, description: current.description, contact: current.contact }, headers: anna });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe("mission_retired");
    expect((await h.request("POST", "/api/staff/missions/no-such-mission/retire", { headers: anna })).status).toBe(404);
  });

  it("drops it from a sign-up confirmed after the retirement", async () => {
    const res = await h.request("POST", "/api/subscriptions/confirm", { json: { token: pending.token } });
    expect(res.status).toBe(200);
    expect((await profileOf(pending.email)).missions).toEqual(["mobility"]);
    expect(await membershipsOf(pending.email)).toEqual(["MEMBER#mobility#seminar"]);
  });

  it("records every change in the audit log with who did it", async () => {
    const entries = await auditEntries();
    const of = (action: string, target: string) => entries.filter((e) => e.action === action && e.targetId === target);
    expect(of("mission.add", "circular-economy")[0]).toMatchObject({ actor: { email: "anna@example.org" }, details: { name: circular.name } });
    expect(of("mission.edit", "vision-driven-health")[0]).toMatchObject({ actor: { email: "anna@example.org" }, details: { fromVersion: 1, changed: ["name", "contact"] } });
    expect(of("mission.retire", "food-system")).toHaveLength(3);
    expect(of("mission.retire", "food-system").map((e) => e.details.alreadyRetired).sort()).toEqual([false, true, true]);
    expect(JSON.stringify(entries)).not.toMatch(/team-health-new@example\.org/);
  });
});

describe("the retirement job", () => {
  it("lets a large mission's followers go in chunks, each job continuing in the next, telling each once", async () => {
    const followers: string[] = [];
    for (let i = 0; i < 5; i++) followers.push(await h.subscribe({ language: i % 2 ? "sv" : "en", missions: ["societal-contract"], topics: ["news"], cadence: "monthly" }));
    const db = documentClient({ region: "eu-north-1", endpoint: h.cloud.urls.dynamodb });
    const missions = new DynamoMissionCatalogue(db, h.cloud.tableName);
    await missions.retire("societal-contract", new Date().toISOString());
    const jobs: PlanJob[] = [];
    const deps = {
      outbox: new DynamoOutbox(db, h.cloud.tableName),
      store: new DynamoSubscriberStore(db, h.cloud.tableName),
      windows: new DynamoAlertWindows(db, h.cloud.tableName),
      content: new DynamoContentStore(db, h.cloud.tableName),
      missions,
      sendQueue: h.cloud.sendQueue,
      planQueue: { enqueue: async (job: PlanJob) => void jobs.push(job), enqueueMany: async (more: PlanJob[]) => void jobs.push(...more) },
      clock: { now: () => Date.now() },
      ids: { next: () => ulid() },
      owner: "test-planner",
      chunk: 2,
    };
    expect(await completeRetirement(deps, "societal-contract")).toEqual({ status: "continued", planned: 5, removed: 2 });
    expect(await completeRetirement(deps, "societal-contract")).toEqual({ status: "continued", planned: 0, removed: 2 });
    expect(await completeRetirement(deps, "societal-contract")).toEqual({ status: "done", planned: 0, removed: 1 });
    expect(await completeRetirement(deps, "societal-contract")).toEqual({ status: "done", planned: 0, removed: 0 });
    expect(jobs).toEqual([
      { kind: "retire-mission", missionId: "societal-contract" },
      { kind: "retire-mission", missionId: "societal-contract" },
    ]);
    // A job for a mission that is not retired changes nothing.
    expect(await completeRetirement(deps, "mobility")).toEqual({ status: "not-retired", planned: 0, removed: 0 });
    await h.idle();
    for (const f of followers) {
      expect(await retirementMail(f)).toHaveLength(1);
      expect((await profileOf(f)).missions).toEqual([]);
    }
    db.destroy();
  });
});

describe("npm run mm -- missions …", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ["MM_API_URL", "MM_TOKEN"]) if (saved[k] === undefined) delete process.env[k];
  });
  async function mm(...argv: string[]) {
    process.env.MM_API_URL = h.cloud.urls.site;
    process.env.MM_TOKEN = anna.authorization!.slice("Bearer ".length);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli("mm", COMMANDS, argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("lists, adds, edits and retires missions through the staff API", async () => {
    const added = await mm("missions", "add", "--id", "water", "--name-sv", "Vatten", "--name-en", "Water", "--description-sv", "Rent vatten.", "--description-en", "Clean water.", "--contact", "team-water@example.org");
    expect(added).toMatchObject({ code: 0, out: "water (version 1, active): Water / Vatten, contact team-water@example.org, replies to the general address" });
    const edited = await mm("missions", "edit", "water", "--name-en", "Clean water", "--team-address", "svar-vatten@example.org");
    expect(edited).toMatchObject({ code: 0, out: "water (version 2, active): Clean water / Vatten, contact team-water@example.org, replies to svar-vatten@example.org" });
    const listed = await mm("missions", "list");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^water\s+active\s+2\s+Clean water$/m);
    expect(listed.out).toMatch(/^food-system\s+retired\s+2\s+/m);
    const cleared = await mm("missions", "edit", "water", "--team-address", "");
    expect(cleared).toMatchObject({ code: 0, out: "water (version 3, active): Clean water / Vatten, contact team-water@example.org, replies to the general address" });

    const refused = await mm("missions", "retire", "water");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--yes/);
    const retired = await mm("missions", "retire", "water", "--yes", "--follow");
    expect(retired.code).toBe(0);
    expect(retired.err).toMatch(/Done: 0 followers planned/);
  });

  it("prints the API's refusal as a sentence with its fields and exits 1", async () => {
    const dup = await mm("missions", "add", "--id", "water", "--name-sv", "V", "--name-en", "W", "--description-sv", "D", "--description-en", "D", "--contact", "not-an-address");
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/The mission has invalid fields; see fields for each problem\. \(HTTP 400, validation_failed\)\n\s+contact: /);
    const missing = await mm("missions", "edit", "no-such-mission", "--name-en", "X");
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/No mission "no-such-mission"\. \(HTTP 404, mission_not_found\)/) });
    expect((await mm("missions", "edit", "water")).code).toBe(2);
  });
});
