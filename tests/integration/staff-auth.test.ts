import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SignJWT, importJWK, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAuditLog } from "../../packages/core/src/audit/dynamo-audit-log";
import { ROUTES, isStaffRoute, type RouteSpec } from "../../packages/functions/src/routes";
import { LOCAL_STAFF_CLIENT_ID, LOCAL_STAFF_ISSUER, generateStaffSigningKey, signStaffToken } from "../../packages/local/src/staff-issuer";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const KEY = TEST_SECRETS.STAFF_SIGNING_KEY;
const tokenFor = (email: string, groups: string[], extra: { lifetimeSeconds?: number; now?: number } = {}) => signStaffToken(KEY, { email, groups, ...extra });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const shortcut = bearer(TEST_SECRETS.STAFF_TOKEN);

/** A token signed with the local issuer's real key but with chosen claims (to test issuer and audience checks). */
async function forged(claims: Record<string, unknown>): Promise<string> {
  const jwk = JSON.parse(KEY) as JWK & { kid: string };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: "access", client_id: LOCAL_STAFF_CLIENT_ID, email: "x@example.org", "cognito:groups": ["staff"], ...claims })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
    .setIssuer(typeof claims.iss === "string" ? claims.iss : LOCAL_STAFF_ISSUER)
    .setSubject("forged")
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(await importJWK(jwk, "ES256"));
}

const STAFF_ROUTES = ROUTES.filter(isStaffRoute);

/** What staff get from `call` where the rule above does not fit: a digest run's body is no announcement, and no announcement has that id. */
const STAFF_ANSWERS: Record<string, number> = {
  "POST /api/staff/announcements": 400,
  "POST /api/staff/announcements/preview": 400,
  "PUT /api/staff/announcements/{id}": 400,
  "POST /api/staff/announcements/{id}/test": 400,
  "POST /api/staff/announcements/{id}/send": 400,
  "POST /api/staff/announcements/{id}/checks": 404,
  "POST /api/staff/announcements/{id}/approve": 400,
  "POST /api/staff/announcements/{id}/refuse": 400,
  "POST /api/staff/announcements/{id}/pause": 404,
  "POST /api/staff/announcements/{id}/resume": 404,
  "POST /api/staff/announcements/{id}/cancel": 404,
  "POST /api/staff/runs/{id}/resume": 404,
  "POST /api/staff/runs/{id}/cancel": 404,
  "POST /api/staff/missions": 400,
  "POST /api/staff/missions/{id}/retire": 404,
  "POST /api/staff/subscribers/import": 400,
  "POST /api/staff/migrations/cadence-by-mission": 400,
};

/** Calls a staff route as a client would, with a valid request apart from the credentials. */
function call(route: RouteSpec, headers: Record<string, string> = {}) {
  const path = route.path.replace("{id}", "01JNOSUCHRUN0000000000000000");
  return route.method === "POST" ? h.request(route.method, path, { json: { cadence: "weekly" }, headers }) : h.request(route.method, path, { headers });
}

const keysOf = async () => new Set((await h.allItems()).map((i) => `${i.PK}|${i.SK}`));

describe("every staff route", () => {
  it("covers digest runs, run status and the audit log", () => {
    expect(STAFF_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["POST /api/staff/digests/run", "GET /api/staff/runs/{id}", "GET /api/staff/audit"]));
  });

  it.each(STAFF_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s answers 401 without a valid token and 403 outside the staff group, storing nothing", async (_key, route) => {
    const before = await keysOf();
    const badCases: [string, Record<string, string>][] = [
      ["no header", {}],
      ["not a bearer", { authorization: "Basic c3RhZmY6c3RhZmY=" }],
      ["malformed", bearer("not-a-token-at-all")],
      ["another key", bearer(await signStaffToken(generateStaffSigningKey(), { email: "eve@example.org", groups: ["staff"] }))],
      ["expired", bearer(await tokenFor("anna@example.org", ["staff"], { now: Date.now() - 3 * 3600_000, lifetimeSeconds: 3600 }))],
      ["another issuer", bearer(await forged({ iss: "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_Other" }))],
      ["another client", bearer(await forged({ client_id: "someone-elses-console" }))],
      ["tampered", bearer((await tokenFor("anna@example.org", ["editors"])).replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ sub: "x", "cognito:groups": ["staff"] })).toString("base64url")}.`))],
    ];
    for (const [what, headers] of badCases) {
      const res = await call(route, headers);
      expect(res.status, what).toBe(401);
      expect(res.body.error.code, what).toBe("unauthorized");
      expect(res.body.error.message, what).toEqual(expect.any(String));
      expect(res.headers.get("www-authenticate"), what).toMatch(/^Bearer realm="mission-mail-staff"/);
    }
    const forbidden = await call(route, bearer(await tokenFor("editor@example.org", ["editors"])));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ error: { code: "forbidden", message: expect.stringMatching(/staff/) } });
    expect(await keysOf()).toEqual(before);
  });

  it.each(STAFF_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s lets staff in with a local-issuer token and with STAFF_TOKEN", async (_key, route) => {
    const ok = STAFF_ANSWERS[`${route.method} ${route.path}`] ?? (route.method === "POST" ? 202 : route.path.includes("{id}") ? 404 : 200);
    // The route table names the role each staff route needs; a publisher route takes a publisher's token.
    const groups = route.role === "publisher" ? ["staff", "publisher"] : ["staff"];
    expect((await call(route, bearer(await tokenFor("anna@example.org", groups)))).status).toBe(ok);
    expect((await call(route, bearer(await tokenFor("multi@example.org", ["editors", ...groups])))).status).toBe(ok);
    expect((await call(route, shortcut)).status).toBe(ok);
    expect((await call(route, bearer(await tokenFor("publisher-only@example.org", ["publisher"])))).status).toBe(ok);
    await h.idle();
  });

  it.each(STAFF_ROUTES.filter((r) => r.role === "publisher").map((r) => [`${r.method} ${r.path}`, r] as const))("%s answers 403 naming the publisher role to staff without it, storing nothing", async (_key, route) => {
    const before = await keysOf();
    const res = await call(route, bearer(await tokenFor("anna@example.org", ["staff"])));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "role_required", message: expect.stringMatching(/needs the publisher role/) });
    expect(await keysOf()).toEqual(before);
  });

  it("declares a role for every staff API route: publisher for approving, sending and the like", () => {
    for (const route of STAFF_ROUTES) expect(route.role, `${route.method} ${route.path}`).toMatch(/^(staff|publisher)$/);
    expect(STAFF_ROUTES.filter((r) => r.role === "publisher").map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        "POST /api/staff/announcements/{id}/approve",
        "POST /api/staff/announcements/{id}/refuse",
        "POST /api/staff/announcements/{id}/send",
        "POST /api/staff/announcements/{id}/pause",
        "POST /api/staff/announcements/{id}/resume",
        "POST /api/staff/announcements/{id}/cancel",
        "POST /api/staff/missions/{id}/retire",
        "POST /api/staff/runs/{id}/resume",
        "POST /api/staff/runs/{id}/cancel",
        "POST /api/staff/migrations/cadence-by-mission",
      ].sort(),
    );
  });
});

describe("the audit log", () => {
  it("records a digest run with who, what and when, and lists it newest first", async () => {
    const anna = await tokenFor("anna@example.org", ["staff"]);
    const started = Date.now();
    const first = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: bearer(anna) });
    expect(first.status).toBe(202);
    const second = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "monthly" }, headers: shortcut });
    expect(second.status).toBe(202);
    await h.idle();

    const res = await h.request("GET", "/api/staff/audit?limit=2", { headers: bearer(anna) });
    expect(res.status).toBe(200);
    const [newest, older] = res.body.entries;
    expect(newest).toMatchObject({ action: "digest.run", targetId: second.body.runId, actor: { sub: "local-staff", email: "local-staff@example.org" }, details: { cadence: "monthly" } });
    expect(older).toMatchObject({
      action: "digest.run",
      targetId: first.body.runId,
      actor: { sub: expect.stringMatching(/^local-/), email: "anna@example.org" },
      details: { cadence: "weekly", campaign: first.body.campaign, period: expect.stringMatching(/^\d{4}-W\d{2}$/) },
    });
    expect(Date.parse(older.at)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(newest.at)).toBeGreaterThanOrEqual(Date.parse(older.at));
    expect(res.body.next).toEqual(expect.any(String));

    // The entry is an item of its own in the month's partition, written before the run was queued.
    const month = await h.partition(`AUDIT#${older.at.slice(0, 7)}`);
    expect(month.find((i) => i.targetId === first.body.runId)).toMatchObject({ SK: `${older.at}#${older.id}`, type: "audit" });
  });

  it("pages with next, and refuses a bad limit or cursor", async () => {
    const all = (await h.request("GET", "/api/staff/audit?limit=200", { headers: shortcut })).body.entries as { id: string }[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await h.request("GET", `/api/staff/audit?limit=2${before ? `&before=${before}` : ""}`, { headers: shortcut });
      expect(page.status).toBe(200);
      seen.push(...page.body.entries.map((e: { id: string }) => e.id));
      before = page.body.next;
    } while (before);
    expect(seen).toEqual(all.map((e) => e.id));

    for (const query of ["limit=0", "limit=201", "limit=abc", "before=not-a-cursor"]) {
      const res = await h.request("GET", `/api/staff/audit?${query}`, { headers: shortcut });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("validation_failed");
    }
  });

  it("is append-only and walks back across months (adapter on DynamoDB Local)", async () => {
    const log = new DynamoAuditLog(h.doc, h.cloud.tableName);
    const entry = (at: string, id: string) => ({ id, at, actor: { sub: "s" }, action: "test.entry", targetId: id, details: {} });
    await log.append(entry("2025-01-31T23:59:59.000Z", "01JOLDJANUARY00000000000000"));
    await log.append(entry("2025-03-01T00:00:00.000Z", "01JOLDMARCH0000000000000000"));
    await expect(log.append({ ...entry("2025-03-01T00:00:00.000Z", "01JOLDMARCH0000000000000000"), action: "test.rewritten" })).rejects.toThrow();

    const ids: string[] = [];
    let before: string | undefined;
    do {
      const page: Awaited<ReturnType<typeof log.list>> = await log.list({ limit: 1, ...(before ? { before } : {}) });
      ids.push(...page.entries.map((e) => e.id));
      before = page.next;
    } while (before);
    expect(ids.slice(-2)).toEqual(["01JOLDMARCH0000000000000000", "01JOLDJANUARY00000000000000"]);
    expect((await h.partition("AUDIT#2025-03")).map((i) => i.action)).toEqual(["test.entry"]);
  });
});

describe("npm run mm -- staff-token", () => {
  const run = promisify(execFile);
  const dataDir = mkdtempSync(join(tmpdir(), "mission-mail-cli-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  beforeAll(() => {
    // The same secrets file npm start keeps, so the CLI signs with the key this local cloud trusts.
    writeFileSync(join(dataDir, "local-secrets.json"), JSON.stringify(TEST_SECRETS));
  });
  const mm = (...args: string[]) => run("npm", ["run", "-s", "mm", "--", ...args], { env: { ...process.env, DATA_DIR: dataDir } });

  it("prints a token the API accepts, recorded under its address", async () => {
    const { stdout, stderr } = await mm("staff-token", "--email", "cli@example.org", "--group", "staff", "--group", "editors");
    const token = stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stderr).toMatch(/groups: staff, editors/);
    const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: bearer(token) });
    expect(res.status).toBe(202);
    await h.idle();
    const [latest] = (await h.request("GET", "/api/staff/audit?limit=1", { headers: bearer(token) })).body.entries;
    expect(latest).toMatchObject({ action: "digest.run", targetId: res.body.runId, actor: { email: "cli@example.org" } });
  }, 60_000);

  it("signs non-staff tokens too, which get 403", async () => {
    const { stdout, stderr } = await mm("staff-token", "--email", "editor@example.org", "--group", "editors");
    expect(stderr).toMatch(/403/);
    expect((await h.request("GET", "/api/staff/audit", { headers: bearer(stdout.trim()) })).status).toBe(403);
  }, 60_000);

  it("explains bad flags with exit code 2 and prints no token", async () => {
    for (const args of [["staff-token"], ["staff-token", "--email", "not-an-address"], ["staff-token", "--email", "a@example.org", "--ttl", "2d"], ["staff-token", "--mail", "a@example.org"], ["no-such-command"]]) {
      const failed = await mm(...args).then(
        () => undefined,
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
      expect(failed?.code, args.join(" ")).toBe(2);
      expect(failed?.stdout, args.join(" ")).toBe("");
      expect(failed?.stderr, args.join(" ")).toMatch(/Usage: mm/);
    }
  }, 60_000);
});
