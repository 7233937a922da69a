import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_FILES } from "../../packages/web/src/assets/asset-files";
import { ASSET_PATHS } from "../../packages/web/src/assets/asset-paths";
import { ROUTES, isStaffRoute } from "../../packages/functions/src/routes";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

/**
 * The staff console's routes on the local cloud: the page (public, in both languages, nothing secret
 * in it, scripts only from its own origin) and the assets it loads, with their cache headers.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

/** Every secret the local cloud holds, and the private part of the staff issuer's key. */
const SECRET_VALUES = [
  ...TEST_SECRETS.TOKEN_KEYS.split(","),
  TEST_SECRETS.ADDRESS_PEPPER,
  TEST_SECRETS.IP_SALT,
  TEST_SECRETS.WEBHOOK_SECRET,
  TEST_SECRETS.STAFF_TOKEN,
  (JSON.parse(TEST_SECRETS.STAFF_SIGNING_KEY) as { d: string }).d,
];

const consoleData = (html: string) => JSON.parse(/<script type="application\/json" id="console-data">([^<]*)<\/script>/.exec(html)![1]!);

describe("GET /staff", () => {
  it("is a public page, not a staff API route, so it has no authorizer in AWS", () => {
    const pages = ROUTES.filter((r) => r.staffConsole);
    expect(pages.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /staff", "GET /staff/callback"]);
    expect(pages.some(isStaffRoute)).toBe(false);
  });

  it("allows scripts only from its own origin and loads chart.js and the console's script by content-hashed name", async () => {
    const res = await h.request("GET", "/staff?lang=en");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts).toEqual([` src="${ASSET_PATHS.chartJs}" defer=""`, ` src="${ASSET_PATHS.consoleJs}" defer=""`, ' type="application/json" id="console-data"']);
    const sheets = [...res.text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
    expect(sheets).toEqual([ASSET_PATHS.siteCss, ASSET_PATHS.consoleCss]);
  });

  it("answers the console's shell without a token, never embedding a secret: locally it offers only the token sign-in", async () => {
    for (const [path, lang, title] of [["/staff", "sv", "Personalkonsol"], ["/staff?lang=en", "en", "Staff console"], ["/staff/callback?code=abc&state=xyz", "sv", "Personalkonsol"]] as const) {
      const res = await h.request("GET", path);
      const { text } = res;
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(text).toContain(`<html lang="${lang}">`);
      expect(text).toContain(`<h1>${title}</h1>`);
      for (const secret of SECRET_VALUES) expect(text, path).not.toContain(secret);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\./);
      expect(text).not.toContain('id="sign-in-hosted"');
      expect(text).toContain('id="token-form"');
      expect(consoleData(text).signIn).toEqual({ redirectUri: `${h.cloud.urls.site}/staff/callback`, signOutUri: `${h.cloud.urls.site}/staff`, local: true });
    }
  });
});

describe("the console's assets", () => {
  it.each([
    ["chart.js", ASSET_PATHS.chartJs, "text/javascript; charset=utf-8"],
    ["the console's script", ASSET_PATHS.consoleJs, "text/javascript; charset=utf-8"],
    ["the console's style sheet", ASSET_PATHS.consoleCss, "text/css; charset=utf-8"],
  ])("%s is served by its content-hashed name and cached for a year", async (_name, path, type) => {
    const res = await h.request("GET", path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("etag")).toBe(`"${path.slice("/assets/".length)}"`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.text).toBe(ASSET_FILES[path.slice("/assets/".length)]!.body);
  });
});
