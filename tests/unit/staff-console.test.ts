import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ASSET_FILES } from "../../packages/web/src/assets/asset-files";
import { ASSET_PATHS } from "../../packages/web/src/assets/asset-paths";
import { ASSET_MODULES, assetModules, buildAssets, installedChartJs } from "../../packages/web/src/assets/build-assets";
import { signOutHref, staffConsoleCsp, staffConsolePage, staffConsoleSignIn } from "../../packages/web/src/staff-console-page";

/**
 * The staff console's pieces that need no browser: the built assets match their sources (chart.js
 * the installed one), the script does what its security rests on, and the sign-in settings and CSP
 * the page gets. Its words are checked with the
 * rest of the copy deck (tests/unit/pages/copy.test.ts).
 */

/** The automatic-pause limits the overview compares against. */
const LIMITS = { complaintRate: 0.001, bounceRate: 0.05 };

const HOSTED = {
  MODE: "aws" as const,
  PUBLIC_URL: "https://missions.example.org",
  STAFF_AUTH_DOMAIN: "https://mission-mail-prod.auth.eu-north-1.amazoncognito.com",
  STAFF_CLIENT_ID: "4example0client0id00000000",
};

const root = fileURLToPath(new URL("../..", import.meta.url));
const clientDir = join(root, "packages/web/src/client");

/** The console's browser code, every module of it, as written (not minified). */
const consoleSource = [join(clientDir, "staff-console.ts"), join(clientDir, "dom.ts"), ...readdirSync(join(clientDir, "console")).map((f) => join(clientDir, "console", f))]
  .map((file) => readFileSync(file, "utf8"))
  .join("\n");

describe("the built assets", () => {
  it("are what the sources build to (run `npm run assets` after changing a style, a script or chart.js)", async () => {
    const modules = assetModules(await buildAssets());
    expect(readFileSync(ASSET_MODULES.paths, "utf8")).toBe(modules.paths);
    expect(readFileSync(ASSET_MODULES.files, "utf8")).toBe(modules.files);
  }, 60_000);

  it("have content-hashed names under /assets/, and chart.js is the installed browser build", () => {
    for (const path of Object.values(ASSET_PATHS)) {
      expect(path).toMatch(/^\/assets\/[a-z-]+\.[0-9a-f]{10}\.(js|css)$/);
      expect(ASSET_FILES[path.slice("/assets/".length)]).toBeDefined();
    }
    const chart = ASSET_FILES[ASSET_PATHS.chartJs.slice("/assets/".length)]!.body;
    expect(chart).toBe(installedChartJs().source);
    expect(chart).toContain("window.Chart=");
    expect(chart).not.toContain("sourceMappingURL");
  });

  it("hold scripts that parse and style sheets without imports", () => {
    for (const [name, file] of Object.entries(ASSET_FILES)) {
      if (name.endsWith(".js")) expect(() => new Function(file.body), name).not.toThrow();
      else expect(file.body, name).not.toMatch(/@import|url\(/);
    }
  });
});

describe("the console's script", () => {
  it("writes API data as text, never as markup, and puts tokens in no URL but the fragment it removes", () => {
    expect(consoleSource).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(consoleSource).not.toMatch(/[?&](access_|id_)?token=/);
    expect(consoleSource).not.toMatch(/console\.(log|info|warn|error)/);
    expect(consoleSource).toContain("history.replaceState(null, \"\", location.pathname + location.search)");
  });

  it("signs in with the code flow and PKCE S256, checks state, and keeps the token in sessionStorage only", () => {
    expect(consoleSource).toContain('code_challenge_method: "S256"');
    expect(consoleSource).toContain('response_type: "code"');
    expect(consoleSource).toContain('query.get("state") !== stored.state');
    expect(consoleSource).toContain("/oauth2/token");
    expect(consoleSource).not.toContain("localStorage");
    expect(consoleSource).not.toContain("document.cookie");
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
    const page = staffConsolePage("en", staffConsoleSignIn(HOSTED), LIMITS);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain(`<link rel="stylesheet" href="${ASSET_PATHS.consoleCss}"/>`);
    expect(page).toContain('id="sign-in-hosted"');
    expect(page).toContain(HOSTED.STAFF_CLIENT_ID);
    expect(page).not.toMatch(/<script>(?!<\/script>)/);
    const data = JSON.parse(/<script type="application\/json" id="console-data">([^<]*)<\/script>/.exec(page)![1]!);
    expect(data.signIn).toEqual(staffConsoleSignIn(HOSTED));
    expect(Object.keys(data)).toEqual(["language", "signIn", "autoPause", "text"]);
    expect(data.autoPause).toEqual(LIMITS);
  });
});

describe("the console's Lambda bundles", () => {
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

  it("carry chart.js in the asset route only, and stay small", async () => {
    const assets = await bundle("api/public/asset");
    expect(assets).toContain("Chart.js v");
    expect(assets.length).toBeLessThan(330 * 1024);
    const page = await bundle("api/staff/staff-console");
    expect(page).not.toContain("Chart.js v");
    // The pages' JSX is compiled for hono/jsx by each file's pragma, also where the bundler reaches web through node_modules.
    expect(page).not.toContain("React.createElement");
    // The page carries every word of the console in both languages for its script (the health view's are about 10 KB).
    expect(page.length).toBeLessThan(270 * 1024);
  }, 60_000);
});
