import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
const KEYS = TEST_SECRETS.TOKEN_KEYS.split(",");
const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const form = (fields: [string, string][]) => ({ body: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
const profileOf = async (address: string) => (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address)!;
const idOf = async (address: string) => (await profileOf(address)).subscriberId as string;
const linkIn = (mail: StoredEmail, path: string) => {
  const match = new RegExp(`https?://[^\\s"<>]+${path}\\?token=[^\\s"<>]+`).exec(mail.body.text ?? "");
  if (!match) throw new Error(`No ${path} link in "${mail.subject}"`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
};
/** The manage token a subscriber finds in every email, from the "you already subscribe" email. */
async function manageLink(address: string, language = "en") {
  await h.request("POST", "/api/subscriptions", { json: { email: address, language, missions: ["food-system"], topics: ["seminar"], cadence: "weekly", consent: { newsletter: true, policyVersion: "2026-11" } } });
  await h.drain();
  const mail = (await h.mailTo(address)).find((m) => /already|redan/i.test(m.subject))!;
  return linkIn(mail, "/preferences");
}
const tokenOf = (path: string) => new URL(path, "http://x").searchParams.get("token")!;
async function digestRun(cadence = "weekly") {
  const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence }, headers: staff });
  expect(res.status).toBe(202);
  await h.idle();
}
function seminar(id: string, missions: string[], title: string) {
  const start = new Date(Date.now() + 5 * DAY);
  return {
    type: "content.published",
    item: { id, version: 1, kind: "seminar", missions, language: "en", title, summary: "About it.", url: "https://missions.example.org/s", publishedAt: new Date(Date.now() - 3_600_000).toISOString(), startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), location: "Malmö" },
  };
}

it("shows the preference centre from an email link, changing nothing on GET", async () => {
  const person = await h.subscribe({ language: "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" });
  const link = await manageLink(person);
  const before = (await h.allItems()).length;

  const page = await h.request("GET", link);
  expect(page.status).toBe(200);
  expect(page.text).toContain('<html lang="en"');
  expect(page.text).toContain(`${person[0]}•••@example.org`);
  expect(page.text).not.toContain(person);
  expect(page.text).toMatch(/<input type="checkbox" id="missions-food-system" name="missions" value="food-system" checked(="")?\/?>/);
  expect(page.text).toMatch(/<input type="checkbox" id="tracking-on" name="tracking" value="on"\/?>/); // off by default

  const api = await h.request("GET", `/api/preferences?token=${tokenOf(link)}`);
  expect(api.status).toBe(200);
  expect(api.body).toMatchObject({ status: "active", language: "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly", tracking: false });
  expect(api.body.available.map((m: { id: string }) => m.id)).toContain("mobility");

  for (const path of [link, `/api/preferences?token=${tokenOf(link)}`, `/unsubscribe?token=${tokenOf(link)}`]) await h.request("GET", path);
  expect((await h.allItems()).length).toBe(before);
});

it("refuses bad preferences with a field-level 400 and stores nothing", async () => {
  const person = await h.subscribe({ language: "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" });
  const token = tokenOf(await manageLink(person));
  const before = await h.partition(`SUB#${await idOf(person)}`);
  const bad = await h.request("PUT", `/api/preferences?token=${token}`, { json: { missions: ["atlantis"], topics: [], cadence: "hourly", language: "sv", tracking: "yes", extra: 1 } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe("validation_failed");
  const fields = bad.body.error.fields.map((f: { field: string }) => f.field);
  expect(fields).toEqual(expect.arrayContaining(["missions.0", "topics", "cadence", "tracking"]));
  expect((await h.request("PUT", `/api/preferences?token=${token}`, { body: "{not json", headers: { "content-type": "application/json" } })).body.error.code).toBe("invalid_json");
  expect(await h.partition(`SUB#${await idOf(person)}`)).toEqual(before);

  const saved = await h.request("PUT", `/api/preferences?token=${token}`, { json: { missions: ["mobility", "impact-innovation"], topics: ["seminar", "news"], cadence: "monthly", language: "sv", tracking: true } });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ status: "active", missions: ["mobility", "impact-innovation"], cadence: "monthly", language: "sv", tracking: true });
  const last = (await h.partition(`SUB#${await idOf(person)}`)).filter((i) => String(i.SK).startsWith("CONSENT#")).at(-1)!;
  expect(last).toMatchObject({ event: "updated", source: "web", policyVersion: "2026-11" });
});

it("saves through the plain form and redirects back with a confirmation; a refused form keeps what was entered", async () => {
  const person = await h.subscribe({ language: "sv", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" });
  const link = await manageLink(person, "sv");
  const token = tokenOf(link);
  const ok = await h.request("POST", `/preferences?token=${token}&lang=sv`, form([["missions", "food-system"], ["missions", "mobility"], ["topics", "publication"], ["cadence", "immediate"], ["language", "sv"]]));
  expect(ok.status).toBe(303);
  const location = ok.headers.get("location")!;
  expect(location).toContain("saved=1");
  const page = await h.request("GET", location);
  expect(page.text).toContain("Dina inställningar är sparade");
  expect(page.text).toMatch(/value="mobility" checked/);
  expect(page.text).toMatch(/value="immediate" checked/);

  const refused = await h.request("POST", `/preferences?token=${token}&lang=sv`, form([["missions", "mobility"], ["cadence", "immediate"], ["language", "sv"]]));
  expect(refused.status).toBe(400);
  expect(refused.text).toContain('class="error-summary"');
  expect(refused.text).toMatch(/<fieldset id="topics" class="has-error" aria-describedby="topics-error">/);
  expect(refused.text).toMatch(/value="mobility" checked/);
  expect((await h.request("GET", `/api/preferences?token=${token}`)).body.topics).toEqual(["publication"]);
});

it("refuses forged, tampered, wrong-type and expired tokens on every self-service route", async () => {
  const person = await h.subscribe();
  const id = await idOf(person);
  const manage = issueToken(KEYS, "manage", id, Date.now());
  const [payload, sig] = manage.split(".") as [string, string];
  const otherPayload = Buffer.from(JSON.stringify({ t: "manage", s: "someone-else", e: 9_999_999_999 })).toString("base64url");
  const forgedSig = createHmac("sha256", "not-our-key-000000000").update(payload).digest("base64url");
  const cases = {
    tampered: `${otherPayload}.${sig}`,
    forged: `${payload}.${forgedSig}`,
    confirmType: issueToken(KEYS, "confirm", id, Date.now()),
    expired: issueToken(KEYS, "manage", id, Date.now() - 366 * DAY),
    garbage: "%%%",
  };
  const before = (await h.allItems()).length;
  for (const [name, token] of Object.entries(cases)) {
    const q = `token=${encodeURIComponent(token)}`;
    const api = await h.request("GET", `/api/preferences?${q}`);
    expect(api.status, name).toBe(400);
    expect(api.body.error.code, name).toBe(name === "expired" ? "token_expired" : "invalid_token");
    expect((await h.request("PUT", `/api/preferences?${q}`, { json: { missions: ["mobility"], topics: ["news"], cadence: "weekly", language: "en", tracking: true } })).status, name).toBe(400);
    expect((await h.request("POST", `/api/me/requests?${q}`, { json: { action: "erase" } })).status, name).toBe(400);
    const page = await h.request("GET", `/preferences?${q}&lang=en`);
    expect(page.status, name).toBe(400);
    expect(page.text, name).toMatch(/not valid|expired/);
  }
  // The manage token from an email opens the preference centre, but never the data-rights routes.
  expect((await h.request("GET", `/api/me/export?token=${manage}`)).body.error.code).toBe("invalid_token");
  expect((await h.request("POST", `/api/me/erase?token=${manage}`)).body.error.code).toBe("invalid_token");
  expect((await h.request("GET", `/me?token=${manage}&lang=en`)).status).toBe(400);
  expect((await h.allItems()).length).toBe(before);
  expect((await profileOf(person)).status).toBe("active");
});

it("exports everything through an emailed one-hour link, and erasing leaves nothing personal", async () => {
  const person = await h.subscribe({ language: "en", missions: ["societal-contract"], topics: ["seminar"], cadence: "weekly" });
  const id = await idOf(person);
  await h.publish(seminar("dr-1", ["societal-contract"], "Trust seminar"));
  await h.idle();
  await digestRun("weekly");
  const token = tokenOf(await manageLink(person));

  // The preference centre asks; the link arrives by email, never in the response.
  const asked = await h.request("POST", `/api/me/requests?token=${token}`, { json: { action: "export" } });
  expect(asked.status).toBe(202);
  expect(asked.text).not.toMatch(/token|\/me\?/);
  await h.drain();
  const exportMail = (await h.mailTo(person)).find((m) => m.subject === "Your data at Missions")!;
  const mePage = linkIn(exportMail, "/me");
  const dataToken = tokenOf(mePage);
  const page = await h.request("GET", mePage);
  expect(page.status).toBe(200);
  expect(page.text).toContain("Download my data");

  // The export link offers the download only, and never erases.
  expect(page.text).not.toContain("Erase my data");
  const misused = await h.request("POST", `/api/me/erase?token=${dataToken}`);
  expect([misused.status, misused.body.error.code]).toEqual([403, "wrong_link_action"]);

  const exported = await h.request("GET", `/api/me/export?token=${dataToken}&download=1`);
  expect(exported.status).toBe(200);
  expect(exported.headers.get("content-disposition")).toContain("attachment");
  const data = exported.body;
  expect(data.subscriber).toMatchObject({ id, email: person, status: "active", missions: ["societal-contract"], cadence: "weekly", tracking: false });
  expect(data.consentLedger.map((r: { event: string }) => r.event)).toEqual(["requested", "confirmed"]);
  expect(data.consentLedger[0].text).toContain("Missions");
  expect(data.deliveries).toHaveLength(1);
  expect(data.deliveries[0]).toMatchObject({ kind: "digest", status: "sent" });
  expect(data.deliveries[0].campaign).toMatch(/^digest#weekly#/);
  expect(data.deliveries[0].subject).toBeTruthy();
  // Everything in the subscriber's partition is in the export (apart from internal bookkeeping).
  const stored = (await h.partition(`SUB#${id}`)).filter((i) => !String(i.SK).startsWith("MEMBER#") && !String(i.SK).startsWith("ALERT"));
  expect(stored.length).toBe(1 + data.consentLedger.length + data.deliveries.length);

  // An export link downloads three times in all, then answers 410.
  for (let i = 0; i < 2; i++) expect((await h.request("GET", `/api/me/export?token=${dataToken}`)).status).toBe(200);
  const spent = await h.request("GET", `/api/me/export?token=${dataToken}`);
  expect([spent.status, spent.body.error.code]).toEqual([410, "link_used"]);

  // Erase, from the page's button (a form post), with an erasure link of its own.
  expect((await h.request("POST", `/api/me/requests?token=${token}`, { json: { action: "erase" } })).status).toBe(202);
  await h.drain();
  const eraseMail = (await h.mailTo(person)).find((m) => m.subject === "Erase your data at Missions")!;
  const erasePage = linkIn(eraseMail, "/me");
  const eraseToken = tokenOf(erasePage);
  const offered = await h.request("GET", erasePage);
  expect(offered.text).toContain("Erase my data");
  expect(offered.text).not.toContain("Download my data");
  const erased = await h.request("POST", `/api/me/erase?token=${eraseToken}&lang=en`, form([]));
  expect(erased.status).toBe(200);
  expect(erased.text).toContain("Your data is erased");
  const everything = JSON.stringify(await h.allItems());
  expect(everything).not.toContain(person);
  // What still names the opaque id: the anonymised ledger entry, the campaign's frozen batch (the
  // exactly-once record, holding ids and SES message ids only), the batch's retention sweep entry
  // (ids only, deleted with the batch's history after 13 months) and an hour's request counter.
  const left = (await h.allItems()).filter((i) => JSON.stringify(i).includes(id));
  const [record, ...others] = left.filter((i) => i.PK === `SUB#${id}`);
  expect(others).toEqual([]);
  expect(Object.keys(record!).sort()).toEqual(["PK", "SK", "at", "event", "id", "subscriberId", "type"]);
  expect(record!.event).toBe("erased");
  for (const other of left.filter((i) => i !== record)) {
    expect(other.type === "batch" || other.type === "delivery-sweep" || String(other.PK).startsWith("RATE#data-rights#"), JSON.stringify(other)).toBe(true);
  }
  const hmac = createHmac("sha256", TEST_SECRETS.ADDRESS_PEPPER).update(person).digest("hex");
  expect((await h.partition(`SUPP#${hmac}`))[0]).toMatchObject({ reason: "erased" });
  expect((await h.partition(`ADDR#${hmac}`))).toHaveLength(0);

  // The erasure link works once (a page for the button, the envelope for the API); the old manage link leads nowhere.
  const again = await h.request("POST", `/api/me/erase?token=${eraseToken}`);
  expect([again.status, again.body.error.code]).toEqual([410, "link_used"]);
  const againPage = await h.request("POST", `/api/me/erase?token=${eraseToken}&lang=en`, form([]));
  expect(againPage.status).toBe(410);
  expect(againPage.text).toContain("already been used");
  expect((await h.request("GET", `/api/preferences?token=${token}`)).status).toBe(404);

  // Signing up again works (confirming lifts the erasure's suppression).
  await h.subscribe({ email: person, language: "en", missions: ["societal-contract"], topics: ["seminar"], cadence: "weekly" });
  expect(await h.partition(`SUPP#${hmac}`)).toHaveLength(0);
});

it("limits data-rights emails and refuses bad actions", async () => {
  const person = await h.subscribe();
  const token = tokenOf(await manageLink(person));
  const bad = await h.request("POST", `/api/me/requests?token=${token}`, { json: { action: "delete-everything" } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.fields[0].field).toBe("action");
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await h.request("POST", `/api/me/requests?token=${token}`, { json: { action: "export" } })).status);
  expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
});
