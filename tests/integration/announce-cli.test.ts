import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
let dir: string;
const saved = { MM_API_URL: process.env.MM_API_URL, MM_TOKEN: process.env.MM_TOKEN };
beforeAll(async () => {
  h = await startHarness();
  dir = mkdtempSync(join(tmpdir(), "announce-cli-"));
  process.env.MM_API_URL = h.cloud.urls.site;
  process.env.MM_TOKEN = await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "cli@example.org", groups: ["staff", "publisher"] });
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  rmSync(dir, { recursive: true, force: true });
  await h?.stop();
});

async function mm(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli("mm", COMMANDS, argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

it("creates a draft from markdown files and flags, shows its status, previews it, sends it and follows it to done", async () => {
  const reader = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["news"], cadence: "weekly" });
  writeFileSync(join(dir, "sv.md"), "# Mobilitetsdagen\n\nVälkommen till **mobilitetsdagen**.\n");
  writeFileSync(join(dir, "en.md"), "# Mobility day\n\nWelcome to **mobility day**.\n");
  const created = await mm("announce", "create", "--mission", "mobility", "--sv", join(dir, "sv.md"), "--en", join(dir, "en.md"), "--event-date", "2027-02-01", "--event-time", "10:00", "--event-place", "Göteborg", "--cta-url", "https://missions.example.org/day", "--cta-label-sv", "Anmäl dig", "--cta-label-en", "Register");
  expect(created.code, created.err).toBe(0);
  const id = created.out;
  expect(id).toMatch(/^[0-9A-Z]{26}$/);
  expect(created.err).toContain("Draft created as the MM_TOKEN identity: Mobilitetsdagen (sv, en) for mobility.");

  const draft = await mm("announce", "status", id);
  expect(draft.code).toBe(0);
  expect(draft.out.split("\n")).toEqual([
    `Mobilitetsdagen (${id})`,
    "State: draft",
    "Missions: mobility · languages: sv, en",
    "audience about 1 today · sent 0 · failed 0 · skipped 0 · delivered 0 · bounced 0 · complained 0 · unsubscribed 0",
  ]);

  const text = await mm("announce", "preview", id, "--lang", "en");
  expect(text.code).toBe(0);
  expect(text.err).toBe("Subject: Mobility day");
  expect(text.out).toContain("Welcome to mobility day.");
  const out = join(dir, "preview.html");
  expect((await mm("announce", "preview", id, "--lang", "sv", "--out", out)).code).toBe(0);
  expect(readFileSync(out, "utf8")).toContain('<html lang="sv"');

  const sent = await mm("announce", "send", id, "--follow", "--interval", "0.1");
  expect(sent.code, sent.err).toBe(0);
  await h.idle();
  const done = await mm("announce", "status", id, "--follow", "--interval", "0.1");
  expect(done.out).toContain("State: done");
  expect(done.out).toContain("audience 1 · sent 1 · failed 0");
  expect((await h.mailTo(reader)).filter((m) => m.subject === "Mobility day")).toHaveLength(1);

  const listed = await mm("announce", "list");
  expect(listed.out).toMatch(new RegExp(`^${id}  done\\s+Mobilitetsdagen$`, "m"));
});

it("prints the API's refusal as sentences and exits non-zero; usage mistakes exit 2", async () => {
  const unknown = await mm("announce", "create", "--mission", "no-such-mission", "--title-en", "Hello", "--body-en", "Text");
  expect(unknown.code).toBe(1);
  expect(unknown.err).toContain('Unknown mission "no-such-mission". (HTTP 422, unknown_missions)');
  expect(unknown.err).toContain("missions.0: Unknown mission");

  const missing = await mm("announce", "status", "01JNOSUCHANNOUNCEMENT000000");
  expect(missing.code).toBe(1);
  expect(missing.err).toMatch(/No announcement with id .*\(HTTP 404, announcement_not_found\)/);

  const past = await mm("announce", "send", "01JNOSUCHANNOUNCEMENT000000", "--at", "2026-03-29T02:30");
  expect(past.code).toBe(1);
  expect(past.err).toMatch(/does not exist in Stockholm.*\(HTTP 422, nonexistent_time\)/);

  expect((await mm("announce", "create", "--title-en", "Hello", "--body-en", "Text")).code).toBe(2);
  expect((await mm("announce", "status")).code).toBe(2);
  expect((await mm("announce", "preview", "x", "--lang", "de")).code).toBe(2);
});

it("runs the pre-send checks, approves and refuses as another publisher, and sends once warnings are acknowledged", async () => {
  const created = await mm("announce", "create", "--mission", "mobility", "--title-en", "Short", "--body-en", "See [the day](http://example.org/day) and [more](https://example.org/more).");
  expect(created.code, created.err).toBe(0);
  const id = created.out;

  const checks = await mm("announce", "checks", id);
  expect(checks.code).toBe(1);
  expect(checks.out).toMatch(/^ERROR\s+link-safety\s+en\s+.*http:\/\/example\.org\/day is http, not https/m);
  expect(checks.out).toMatch(/^WARNING\s+subject-length\s+en\s+The en subject is 5 characters/m);
  expect(checks.out).toMatch(/^INFO\s+link-reachability\s+.*not checked/m);
  expect(checks.out).toContain("Audience: 1 (sv 0, en 1)");
  expect(checks.err).toContain("errors in link-safety");

  const blocked = await mm("announce", "send", id, "--acknowledge-warnings");
  expect(blocked.code).toBe(1);
  expect(blocked.err).toContain("(HTTP 422, checks_failed)");

  // The author may not decide on their own edit; another publisher may.
  const own = await mm("announce", "approve", id);
  expect(own.code).toBe(1);
  expect(own.err).toContain("(HTTP 403, four_eyes)");
  const author = process.env.MM_TOKEN;
  process.env.MM_TOKEN = await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "second@example.org", groups: ["publisher"] });
  try {
    expect((await mm("announce", "refuse", id)).code).toBe(2);
    const refused = await mm("announce", "refuse", id, "--reason", "Use an https link.");
    expect(refused.code, refused.err).toBe(0);
    const approved = await mm("announce", "approve", id);
    expect(approved.code, approved.err).toBe(0);
    expect(approved.err).toBe("Approved as the MM_TOKEN identity.");
  } finally {
    process.env.MM_TOKEN = author;
  }

  const fixed = await h.request("PUT", `/api/staff/announcements/${id}`, {
    json: { title: { en: "Short" }, body: { en: "See [the day](https://example.org/day)." }, missions: ["mobility"] },
    headers: { authorization: `Bearer ${author}` },
  });
  expect(fixed.status).toBe(200);
  const warned = await mm("announce", "send", id);
  expect(warned.code).toBe(1);
  expect(warned.err).toContain("(HTTP 409, warnings_not_acknowledged)");
  const sent = await mm("announce", "send", id, "--acknowledge-warnings");
  expect(sent.code, sent.err).toBe(0);
  await h.idle();
  expect((await mm("announce", "status", id)).out).toContain("State: done");
});
