import { execFile } from "node:child_process";
import { parse } from "csv-parse/sync";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import { DynamoSubscriberStore } from "../../packages/core/src/subscription/dynamo-subscriber-store";
import { toCsv } from "../../packages/core/src/shared/csv";
import { addressHmac } from "../../packages/core/src/shared/email-address";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { linkToken, startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
let anna: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), "mission-mail-import-"));
beforeAll(async () => {
  h = await startHarness();
  anna = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "anna@example.org", groups: ["staff"] })}` };
});
afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const KEYS = TEST_SECRETS.TOKEN_KEYS.split(",");
const hmacOf = (address: string) => addressHmac(address, TEST_SECRETS.ADDRESS_PEPPER);
const idOf = async (address: string) => (await h.partition(`ADDR#${hmacOf(address)}`))[0]?.subscriberId as string | undefined;
const itemsOf = async (address: string) => {
  const id = await idOf(address);
  return id ? h.partition(`SUB#${id}`) : [];
};
const profileOf = async (address: string) => (await itemsOf(address)).find((i) => i.SK === "PROFILE");
/** Every key in the table except the audit log's, which records even a dry run. */
const dataKeys = async () => new Set((await h.allItems()).filter((i) => !String(i.PK).startsWith("AUDIT")).map((i) => `${i.PK}|${i.SK}`));
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.org`;
const row = (line: number, overrides: Record<string, unknown> = {}) => ({
  line,
  email: unique(`row${line}`),
  language: "en",
  missions: ["food-system"],
  topics: ["seminar"],
  cadence: "weekly",
  consentSource: "paper form at the 2026 launch",
  ...overrides,
});
const importRows = (rows: unknown[], extra: Record<string, unknown> = {}) =>
  h.request("POST", "/api/staff/subscribers/import", { json: { importId: `test-${Math.random().toString(36).slice(2, 8)}`, rows, ...extra }, headers: anna });
const auditEntries = async () => (await h.request("GET", "/api/staff/audit?limit=200", { headers: anna })).body.entries as { action: string; targetId: string; actor: { email?: string }; details: Record<string, unknown> }[];

describe("POST /api/staff/subscribers/import", () => {
  let active: string;
  let unsubscribed: string;
  let suppressed: string;
  const sent = {} as { plain: ReturnType<typeof row>; proven: ReturnType<typeof row> };

  beforeAll(async () => {
    active = await h.subscribe({ language: "sv", missions: ["mobility"] });
    unsubscribed = await h.subscribe();
    expect((await h.request("POST", `/unsubscribe?token=${issueToken(KEYS, "manage", (await idOf(unsubscribed))!, Date.now())}`)).status).toBe(200);
    suppressed = unique("bounced");
    await new DynamoSubscriberStore(h.doc, h.cloud.tableName).suppress(hmacOf(suppressed), "hard-bounce", new Date().toISOString());
  });

  it("imports each row on its own: confirmation for plain rows, activation with proof, known and bad rows reported by line", async () => {
    sent.plain = row(2, { language: "sv", missions: ["food-system", "mobility"], topics: ["seminar", "news"] });
    sent.proven = row(3, { consentSource: "previous newsletter tool, confirmed 2025-03-02", confirmedAt: "2025-03-02", cadence: "monthly" });
    const rows = [
      sent.plain,
      sent.proven,
      row(4, { consentSource: "" }),
      row(5, { email: "not an address" }),
      row(6, { missions: ["food-system", "no-such-mission"] }),
      row(7, { email: ` ${sent.plain.email}` }),
      row(8, { email: active }),
      row(9, { confirmedAt: "2999-01-01" }),
      row(10, { email: suppressed }),
      row(11, { email: unsubscribed }),
      { line: 12, email: unique("row12"), language: "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" },
    ];
    const mailBefore = (await h.mailbox()).length;
    const res = await importRows(rows);
    expect(res.status).toBe(200);
    const byLine = Object.fromEntries(res.body.results.map((r: { line: number }) => [r.line, r]));
    expect(byLine[2]).toEqual({ line: 2, status: "pending" });
    expect(byLine[3]).toEqual({ line: 3, status: "activated" });
    expect(byLine[4]).toMatchObject({ status: "rejected", problems: [{ field: "consentSource", message: expect.stringMatching(/consent source is required/) }] });
    expect(byLine[5]).toMatchObject({ status: "rejected", problems: [{ field: "email" }] });
    expect(byLine[6]).toMatchObject({ status: "rejected", problems: [{ field: "missions.1", message: 'Unknown mission "no-such-mission".' }] });
    expect(byLine[7]).toMatchObject({ status: "rejected", problems: [{ field: "email", message: "The same address as on line 2." }] });
    expect(byLine[8]).toEqual({ line: 8, status: "known" });
    expect(byLine[9]).toMatchObject({ status: "rejected", problems: [{ field: "confirmedAt", message: "confirmed_at is in the future." }] });
    expect(byLine[10]).toMatchObject({ status: "rejected", problems: [{ field: "email", message: expect.stringMatching(/suppression list/) }] });
    expect(byLine[11]).toEqual({ line: 11, status: "known" });
    expect(byLine[12]).toMatchObject({ status: "rejected", problems: [{ field: "consentSource" }] });
    expect(res.body.counts).toEqual({ pending: 1, activated: 1, known: 2, rejected: 7, failed: 0 });

    await h.drain();
    // Double opt-in: only the plain row was emailed, a confirmation in its language.
    const mail = (await h.mailbox()).slice(mailBefore);
    expect(mail.map((m) => m.destination.to[0])).toEqual([sent.plain.email]);
    expect(mail[0]!.subject).toBe("Bekräfta din prenumeration på Missions");

    expect(await profileOf(sent.plain.email)).toMatchObject({ status: "pending", missions: ["food-system", "mobility"], expiresAt: expect.any(Number) });
    expect((await itemsOf(sent.plain.email)).find((i) => String(i.SK).startsWith("CONSENT#"))).toMatchObject({
      event: "requested",
      source: "import",
      evidence: { consentSource: "paper form at the 2026 launch" },
      policyVersion: "2026-11",
    });
    expect(await profileOf(sent.proven.email)).toMatchObject({ status: "active", confirmedAt: "2025-03-02T00:00:00.000Z", cadence: "monthly" });
    expect((await profileOf(sent.proven.email))!.expiresAt).toBeUndefined();
    const proven = await itemsOf(sent.proven.email);
    expect(proven.find((i) => String(i.SK).startsWith("CONSENT#"))).toMatchObject({
      event: "confirmed",
      source: "import",
      evidence: { consentSource: "previous newsletter tool, confirmed 2025-03-02", claimedConfirmedAt: "2025-03-02T00:00:00.000Z" },
    });
    expect(proven.filter((i) => String(i.SK).startsWith("MEMBER#")).map((i) => i.GSI1PK)).toEqual(["FANOUT#food-system#seminar#monthly"]);

    // Rejected rows and known addresses left nothing behind and changed nothing.
    for (const line of [4, 5, 6, 9, 12]) expect(await idOf(rows[line - 2]!.email as string)).toBeUndefined();
    expect(await idOf(suppressed)).toBeUndefined();
    expect(await profileOf(active)).toMatchObject({ status: "active", language: "sv", missions: ["mobility"] });
    expect(await profileOf(unsubscribed)).toMatchObject({ status: "unsubscribed" });

    // The imported person confirms as anyone would.
    const confirmed = await h.request("POST", "/api/subscriptions/confirm", { json: { token: linkToken(mail[0]!, "/confirm") } });
    expect(confirmed.status).toBe(200);
    expect(await profileOf(sent.plain.email)).toMatchObject({ status: "active" });
    await h.drain(); // the welcome, so later counts of the mailbox start after it
  });

  it("does not duplicate known addresses when the same rows come again", async () => {
    const before = await dataKeys();
    const mailBefore = (await h.mailbox()).length;
    const res = await importRows([sent.plain, sent.proven]);
    expect(res.body.results).toEqual([
      { line: 2, status: "known" },
      { line: 3, status: "known" },
    ]);
    await h.drain();
    expect((await h.mailbox()).length).toBe(mailBefore);
    const after = await dataKeys();
    expect([...after].filter((k) => !before.has(k) && !k.startsWith("RATE#"))).toEqual([]);
  });

  it("stores and sends nothing in a dry run, and says what would happen", async () => {
    const before = await dataKeys();
    const mailBefore = (await h.mailbox()).length;
    const res = await importRows([row(2), row(3, { confirmedAt: "2024-12-24T10:00:00+01:00" }), row(4, { consentSource: " " }), row(5, { email: active })], { dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, counts: { pending: 1, activated: 1, rejected: 1, known: 1, failed: 0 } });
    await h.drain();
    expect(await dataKeys()).toEqual(before);
    expect((await h.mailbox()).length).toBe(mailBefore);
  });

  it("refuses a bad request as a whole with 400, storing nothing", async () => {
    const before = await dataKeys();
    const cases: [unknown, string][] = [
      [{ rows: [row(2)] }, "importId"],
      [{ importId: "x", rows: [] }, "rows"],
      [{ importId: "x", rows: Array.from({ length: 501 }, (_, i) => row(i + 2)) }, "rows"],
      [{ importId: "x", rows: [row(2)], dryRun: "yes" }, "dryRun"],
    ];
    for (const [body, field] of cases) {
      const res = await h.request("POST", "/api/staff/subscribers/import", { json: body, headers: anna });
      expect(res.status, field).toBe(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field), field).toContain(field);
    }
    expect(await dataKeys()).toEqual(before);
  });

  it("audits each import with counts only, never addresses", async () => {
    const entries = await auditEntries();
    const results = entries.filter((e) => e.action === "subscribers.import-result");
    expect(results.length).toBeGreaterThanOrEqual(3);
    expect(results.find((e) => e.details.rejected === 7)).toMatchObject({ actor: { email: "anna@example.org" }, details: { dryRun: false, pending: 1, activated: 1, known: 2 } });
    expect(entries.find((e) => e.action === "subscribers.import" && e.details.rows === 11)).toMatchObject({ details: { dryRun: false, valid: 5, withProof: 1 } });
    expect(entries.find((e) => e.action === "subscribers.import" && e.details.dryRun === true)).toBeDefined();
    expect(JSON.stringify(entries)).not.toContain("@example.org\",\"language");
    for (const address of [sent.plain.email, sent.proven.email, active, suppressed]) expect(JSON.stringify(entries)).not.toContain(address);
  });
});

describe("GET /api/staff/subscribers/export", () => {
  const exportAll = async (limit?: number) => {
    const all: { email: string; [k: string]: unknown }[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...(after ? { after } : {}) });
      const res = await h.request("GET", `/api/staff/subscribers/export?${q}`, { headers: anna });
      expect(res.status).toBe(200);
      all.push(...res.body.subscribers);
      after = res.body.next;
      pages++;
    } while (after);
    return { all, pages };
  };
  const activeInTable = async () => new Set((await h.allItems()).filter((i) => i.SK === "PROFILE" && i.status === "active").map((i) => i.email as string));

  it("lists exactly the active subscribers with their choices and no tokens, page by page", async () => {
    await h.subscribe({ language: "en", missions: ["impact-innovation"], topics: ["news"], cadence: "immediate" });
    const { all } = await exportAll();
    expect(new Set(all.map((s) => s.email))).toEqual(await activeInTable());
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const s of all) {
      expect(Object.keys(s).sort()).toEqual(expect.arrayContaining(["cadence", "createdAt", "email", "id", "language", "missions", "topics", "tracking"]));
      expect(JSON.stringify(s)).not.toMatch(/token|addressHmac|GSI1/i);
    }
    const paged = await exportAll(2);
    expect(paged.pages).toBeGreaterThan(1);
    expect(paged.all.map((s) => s.email)).toEqual(all.map((s) => s.email));
  });

  it("leaves out people who unsubscribed or were erased, at once", async () => {
    const leaving = await h.subscribe();
    const erased = await h.subscribe();
    expect((await exportAll()).all.map((s) => s.email)).toEqual(expect.arrayContaining([leaving, erased]));
    expect((await h.request("POST", `/unsubscribe?token=${issueToken(KEYS, "manage", (await idOf(leaving))!, Date.now())}`)).status).toBe(200);
    expect((await h.request("POST", `/api/me/erase?token=${issueToken(KEYS, "data-rights", (await idOf(erased))!, Date.now(), { action: "erase", id: `erase-${erased}` })}`)).status).toBe(200);
    const emails = (await exportAll()).all.map((s) => s.email);
    expect(emails).not.toContain(leaving);
    expect(emails).not.toContain(erased);
    expect(new Set(emails)).toEqual(await activeInTable());
  });

  it("refuses a bad limit or cursor, and audits every page with its count", async () => {
    for (const q of ["limit=0", "limit=1001", "limit=abc", "after=not-a-cursor"]) {
      const res = await h.request("GET", `/api/staff/subscribers/export?${q}`, { headers: anna });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    const res = await h.request("GET", "/api/staff/subscribers/export?limit=1", { headers: anna });
    const [entry] = (await auditEntries()).filter((e) => e.action === "subscribers.export");
    expect(entry).toMatchObject({ actor: { email: "anna@example.org" }, targetId: "subscribers", details: { count: 1, page: "first", limit: 1 } });
    expect(JSON.stringify(entry)).not.toContain(res.body.subscribers[0].email);
  });

  it("answers 401 without a token and 403 outside the staff group on import and export", async () => {
    const editor = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "ed@example.org", groups: ["editors"] })}` };
    const before = await dataKeys();
    const audit = (await auditEntries()).length;
    const body = { json: { importId: "x", rows: [row(2)] } };
    expect((await h.request("POST", "/api/staff/subscribers/import", body)).status).toBe(401);
    expect((await h.request("POST", "/api/staff/subscribers/import", { ...body, headers: editor })).status).toBe(403);
    expect((await h.request("GET", "/api/staff/subscribers/export")).status).toBe(401);
    expect((await h.request("GET", "/api/staff/subscribers/export", { headers: editor })).status).toBe(403);
    expect(await dataKeys()).toEqual(before);
    expect((await auditEntries()).length).toBe(audit);
  });
});

describe("npm run mm -- subscribers … and digest run", () => {
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
  const csv = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
  };

  it("imports a CSV file in batches and prints a summary with the rejected lines", async () => {
    const a = unique("csv-a");
    const b = unique("csv-b");
    const c = unique("csv-c");
    const file = csv("people.csv", [
      "email,language,missions,topics,cadence,consent_source,confirmed_at",
      `${a},sv,food-system;mobility,seminar;news,weekly,"paper form at the 2026 launch, Stockholm",`,
      `${b},en,impact-innovation,publication,monthly,"previous newsletter tool, confirmed 2025-03-02",2025-03-02`,
      `${c},en,food-system,seminar,weekly,,`,
      `not-an-address,en,food-system,seminar,weekly,web form,`,
      `${unique("csv-d")},en,food-system,seminar`,
      "",
      `${a},sv,food-system,seminar,weekly,again,`,
    ]);
    const mailBefore = (await h.mailbox()).length;
    const res = await mm("subscribers", "import", file, "--batch", "2");
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/^Imported people\.csv, 6 rows:$/m);
    expect(res.out).toMatch(/confirmation emails sent:\s+1$/m);
    expect(res.out).toMatch(/activated with proof of earlier confirmation:\s+1$/m);
    expect(res.out).toMatch(/already known \(left unchanged\):\s+1$/m);
    expect(res.out).toMatch(/rejected:\s+3$/m);
    expect(res.out).toContain("line 4: consent_source: A consent source is required");
    expect(res.out).toMatch(/line 5: email: /);
    expect(res.out).toContain("line 6: row: has 4 fields, the header has 7");
    expect(res.err).toMatch(/3 rows were not imported/);
    await h.drain();
    expect((await h.mailbox()).slice(mailBefore).map((m) => m.destination.to[0])).toEqual([a]);
    expect((await h.partition(`SUB#${await idOf(a)}`)).find((i) => String(i.SK).startsWith("CONSENT#"))).toMatchObject({ evidence: { consentSource: "paper form at the 2026 launch, Stockholm" } });
    expect(await profileOf(b)).toMatchObject({ status: "active", missions: ["impact-innovation"] });
    expect(await idOf(c)).toBeUndefined();
  });

  it("checks a file without storing anything with --dry-run, and exits 0 when every row is fine", async () => {
    const before = await dataKeys();
    const file = csv("ok.csv", ["Email,Language,Missions,Topics,Cadence,Consent_Source,Notes", `${unique("dry")},en,mobility,news,immediate,fair stand 2026,met at the stand`]);
    const res = await mm("subscribers", "import", file, "--dry-run");
    expect(res).toMatchObject({ code: 0 });
    expect(res.out).toMatch(/dry run: nothing was stored or sent/);
    expect(res.out).toMatch(/would be sent a confirmation email:\s+1$/m);
    expect(res.err).toContain("Ignoring the column notes.");
    expect(await dataKeys()).toEqual(before);
  });

  it("refuses a file without a consent_source column before sending anything", async () => {
    const before = await dataKeys();
    const file = csv("no-source.csv", ["email,language,missions,topics,cadence", `${unique("x")},en,mobility,news,weekly`]);
    const res = await mm("subscribers", "import", file);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/no-source\.csv has no consent_source column/);
    expect(await dataKeys()).toEqual(before);
    expect((await mm("subscribers", "import", join(dir, "missing.csv"))).err).toMatch(/Cannot read .*missing\.csv: ENOENT/);
    expect((await mm("subscribers", "import")).code).toBe(2);
  });

  it("exports the active subscribers to a CSV file readable only by its owner", async () => {
    const out = join(dir, "export.csv");
    const res = await mm("subscribers", "export", "--out", out);
    expect(res.code).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("email,language,missions,topics,cadence,confirmed_at,tracking,created_at,id,cadence_by_mission");
    const active = (await h.allItems()).filter((i) => i.SK === "PROFILE" && i.status === "active");
    expect(lines).toHaveLength(active.length + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0]))).toEqual(new Set(active.map((i) => i.email)));
    expect(statSync(out).mode & 0o077).toBe(0);
    expect(res.err).toMatch(new RegExp(`Exported ${active.length} active subscribers to`));
  });

  it("exports an address that looks like a formula as text a spreadsheet will not run", async () => {
    const hostile = `=cmd|'/Ccalc'!A0+${unique("formula")}`;
    await h.subscribe({ email: hostile });
    const out = join(dir, "formula.csv");
    expect((await mm("subscribers", "export", "--out", out)).code).toBe(0);
    const rows = parse(readFileSync(out, "utf8")) as string[][];
    const cells = rows.flat();
    expect(cells).toContain(`'${hostile}`);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);

    // The exported file goes back in as it is (with the consent source staff must state): the
    // address is read without the quote, so it is the known subscriber, not a new or bad address.
    const [header, ...body] = rows;
    const back = csv("formula-back.csv", [[...header!, "consent_source"], ...body.filter((r) => r[0] === `'${hostile}`).map((r) => [...r, "earlier export"])].map((r) => toCsv([r]).trimEnd()));
    const again = await mm("subscribers", "import", back, "--dry-run");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already known \(left unchanged\):\s+1$/m);
    expect(again.out).toMatch(/rejected:\s+0$/m);
  });

  it("runs a digest and follows it to the end", async () => {
    const res = await mm("digest", "run", "--cadence", "weekly", "--follow", "--interval", "0.2");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^[0-9A-Z]{26}$/);
    expect(res.err).toMatch(/Done\. \d{4}-W\d{2}: \d+ planned, \d+ sent/);
    expect((await mm("digest", "run", "--cadence", "hourly")).code).toBe(2);
  });

  it("runs as a command with a locally signed token and clear exit codes", async () => {
    const dataDir = mkdtempSync(join(dir, "data-"));
    writeFileSync(join(dataDir, "local-secrets.json"), JSON.stringify(TEST_SECRETS));
    const file = csv("cli.csv", ["email,language,missions,topics,cadence,consent_source", `${unique("cli")},en,mobility,news,weekly,newsletter desk`]);
    const env = { ...process.env, DATA_DIR: dataDir, MM_TOKEN: "", MM_STAFF_EMAIL: "cli@example.org" };
    const run = promisify(execFile);
    const mmProcess = (...args: string[]) =>
      run("npm", ["run", "-s", "mm", "--", ...args], { env }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const ok = await mmProcess("subscribers", "import", file, "--dry-run", "--api", h.cloud.urls.site);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/would be sent a confirmation email:\s+1/);
    const [latest] = (await auditEntries()).filter((e) => e.action === "subscribers.import");
    expect(latest!.actor.email).toBe("cli@example.org");
    const usage = await mmProcess("subscribers", "import", "--api", h.cloud.urls.site);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Missing <file\.csv>[\s\S]*Usage: mm subscribers import/);
    const remote = await mmProcess("subscribers", "export", "--api", "https://missions.example.org");
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/Set MM_TOKEN/);
  }, 90_000);
});
