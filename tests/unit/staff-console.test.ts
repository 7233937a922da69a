import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { STAFF_CONSOLE_SCRIPT } from "../../packages/web/src/staff-console-script";
import { STAFF_CONSOLE_TEXT } from "../../packages/web/src/staff-console-text";
import { signOutHref, staffConsoleCsp, staffConsolePage, staffConsoleSignIn } from "../../packages/web/src/staff-console-page";
import { CHART_JS, CHART_JS_PATH, CHART_JS_VERSION } from "../../packages/web/src/vendor/chart-js";
import { CHART_JS_MODULE, chartJsModule, installedChartJs } from "../../packages/web/src/vendor/vendor-chart-js";

/**
 * The staff console's pieces that need no browser: the embedded chart.js is the installed one, the
 * script parses, every word exists in both languages with the same placeholders, and the sign-in
 * settings and CSP the page gets.
 */

const HOSTED = {
  MODE: "aws" as const,
  PUBLIC_URL: "https://missions.example.org",
  STAFF_AUTH_DOMAIN: "https://mission-mail-prod.auth.eu-north-1.amazoncognito.com",
  STAFF_CLIENT_ID: "4example0client0id00000000",
};

describe("the embedded chart.js", () => {
  it("is the installed chart.js's minified browser build (run `npm run vendor` after an upgrade)", () => {
    const installed = installedChartJs();
    expect(readFileSync(CHART_JS_MODULE, "utf8")).toBe(chartJsModule(installed));
    expect(CHART_JS_VERSION).toBe(installed.version);
    expect(CHART_JS).toContain(`Chart.js v${installed.version}`);
    expect(CHART_JS).not.toContain("sourceMappingURL");
    expect(CHART_JS).toContain("window.Chart=");
    expect(CHART_JS_PATH).toMatch(/^\/assets\/chart\.js\?v=[0-9a-f]{12}$/);
  });
});

describe("the console's script", () => {
  it("is JavaScript that parses, with no template literal left in it", () => {
    expect(() => new Function(STAFF_CONSOLE_SCRIPT)).not.toThrow();
    expect(STAFF_CONSOLE_SCRIPT).not.toContain("${");
  });

  it("writes API data as text, never as markup, and puts tokens in no URL but the fragment it removes", () => {
    expect(STAFF_CONSOLE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(STAFF_CONSOLE_SCRIPT).not.toMatch(/[?&](access_|id_)?token=/);
    expect(STAFF_CONSOLE_SCRIPT).not.toMatch(/console\.(log|info|warn|error)/);
    expect(STAFF_CONSOLE_SCRIPT).toContain('history.replaceState(null, "", location.pathname + location.search)');
  });

  it("signs in with the code flow and PKCE S256, checks state, and keeps the token in sessionStorage only", () => {
    expect(STAFF_CONSOLE_SCRIPT).toContain('code_challenge_method: "S256"');
    expect(STAFF_CONSOLE_SCRIPT).toContain('response_type: "code"');
    expect(STAFF_CONSOLE_SCRIPT).toContain('query.get("state") !== stored.state');
    expect(STAFF_CONSOLE_SCRIPT).toContain('"/oauth2/token"');
    expect(STAFF_CONSOLE_SCRIPT).not.toContain("localStorage");
    expect(STAFF_CONSOLE_SCRIPT).not.toContain("document.cookie");
  });
});

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ""): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the console's words", () => {
  it("exist in Swedish and English, with the same placeholders, none empty", () => {
    const sv = new Map(leaves(STAFF_CONSOLE_TEXT.sv as unknown as Tree));
    const en = new Map(leaves(STAFF_CONSOLE_TEXT.en as unknown as Tree));
    expect([...en.keys()]).toEqual([...sv.keys()]);
    for (const [key, text] of sv) {
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(en.get(key)!), key).toEqual(placeholders(text));
    }
  });
});

describe("the console's sign-in settings", () => {
  it("use the Hosted UI only where both its domain and the client are configured", () => {
    expect(staffConsoleSignIn(HOSTED)).toEqual({
      authDomain: HOSTED.STAFF_AUTH_DOMAIN,
      clientId: HOSTED.STAFF_CLIENT_ID,
      redirectUri: "https://missions.example.org/staff/callback",
      signOutUri: "https://missions.example.org/staff",
      local: false,
    });
    const local = staffConsoleSignIn({ MODE: "local", PUBLIC_URL: "http://localhost:3000/", STAFF_AUTH_DOMAIN: undefined, STAFF_CLIENT_ID: "mission-mail-local-console" });
    expect(local).toEqual({ redirectUri: "http://localhost:3000/staff/callback", signOutUri: "http://localhost:3000/staff", local: true });
  });

  it("sign out at the Hosted UI's /logout, which returns to the console", () => {
    const href = new URL(signOutHref(staffConsoleSignIn(HOSTED), "en"));
    expect(`${href.origin}${href.pathname}`).toBe(`${HOSTED.STAFF_AUTH_DOMAIN}/logout`);
    expect(Object.fromEntries(href.searchParams)).toEqual({ client_id: HOSTED.STAFF_CLIENT_ID, logout_uri: "https://missions.example.org/staff" });
    expect(signOutHref(staffConsoleSignIn({ ...HOSTED, MODE: "local", STAFF_AUTH_DOMAIN: undefined }), "en")).toBe("/staff?lang=en");
  });

  it("let the page fetch tokens from the Hosted UI and nothing else run: same-origin scripts only", () => {
    const csp = staffConsoleCsp(staffConsoleSignIn(HOSTED));
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://mission-mail-prod.auth.eu-north-1.amazoncognito.com;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(staffConsoleCsp({})).toContain("connect-src 'self';");
  });

  it("render the Hosted UI button, the public client id and no secret", () => {
    const page = staffConsolePage("en", staffConsoleSignIn(HOSTED));
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('id="sign-in-hosted"');
    expect(page).toContain(HOSTED.STAFF_CLIENT_ID);
    expect(page).not.toMatch(/<script>(?!<\/script>)/);
    const data = JSON.parse(/<script type="application\/json" id="console-data">([^<]*)<\/script>/.exec(page)![1]!);
    expect(data.signIn).toEqual(staffConsoleSignIn(HOSTED));
    expect(Object.keys(data)).toEqual(["language", "signIn", "text"]);
  });
});

describe("the console's Lambda bundles", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  /** Bundled as SST does for nodejs22.x ESM, minified (as scripts/bundle-sizes.ts measures). */
  const bundle = async (handler: string) => {
    const out = await build({
      entryPoints: [join(root, "packages/functions/src", `${handler}.ts`)],
      absWorkingDir: root,
      bundle: true,
      write: false,
      minify: true,
      platform: "node",
      format: "esm",
      target: "node22",
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    return out.outputFiles[0]!.text;
  };

  it("carry chart.js in the chart route only, and stay small", async () => {
    const chart = await bundle("api/chart-script");
    expect(chart).toContain(`Chart.js v${CHART_JS_VERSION}`);
    expect(chart.length).toBeLessThan(300 * 1024);
    const page = await bundle("api/staff-console");
    expect(page).not.toContain("Chart.js v");
    expect(page.length).toBeLessThan(250 * 1024);
    const script = await bundle("api/staff-console-script");
    expect(script).not.toContain("Chart.js v");
    expect(script.length).toBeLessThan(120 * 1024);
  }, 60_000);
});
