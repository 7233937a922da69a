import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missionKey } from "../../packages/core/src/platform/table-keys";
import { startHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_ADDRESS: "2", RATE_LIMIT_PER_IP: "1000" });
  await h.doc.send(
    new PutCommand({
      TableName: h.cloud.tableName,
      Item: {
        ...missionKey("old-mission"),
        type: "mission",
        id: "old-mission",
        name: { sv: "En avslutad mission", en: "A retired mission" },
        description: { sv: "Avslutad.", en: "Retired." },
        contact: "team-old@example.org",
        status: "retired",
      },
    }),
  );
});
afterAll(() => h?.stop());

const ACCEPTED = "mm_cookies=v1:f1:s0";
const DECLINED = "mm_cookies=v1:f0:s1";
const DECLINED_SV = "För att vara mer anonym har du valt att stänga av vissa funktioner på vår webbplats";
const DECLINED_EN = "To stay more anonymous, you have chosen to turn off some functions on our website";
const FORM = "application/x-www-form-urlencoded";
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;

const page = (path: string, cookie?: string) => h.request("GET", path, cookie ? { headers: { cookie } } : {});
const post = (path: string, fields: [string, string][] | string, headers: Record<string, string> = {}) =>
  h.request("POST", path, { body: typeof fields === "string" ? fields : new URLSearchParams(fields).toString(), headers: { "content-type": FORM, ...headers } });

const hasBanner = (text: string) => text.includes('id="cookie-banner"');
const hasForm = (text: string) => /<form method="post" action="\/subscribe"/.test(text);
const signupStateOf = (text: string) => /id="signup"[^>]*data-state="([a-z]+)"/.exec(text)?.[1];

function signUpFields(overrides: Record<string, string | string[]> = {}): [string, string][] {
  const fields: Record<string, string | string[]> = {
    lang: "en",
    from: "/missions/mobility",
    policyVersion: "2026-11",
    missions: ["mobility"],
    topics: ["seminar", "news"],
    cadence: "monthly",
    language: "en",
    email: `web-${Math.random().toString(36).slice(2, 10)}@example.org`,
    consent: "yes",
    website: "",
    ...overrides,
  };
  return Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
}

describe("pages and the cookie gate", () => {
  it("serves the overview in Swedish by default and in English with ?lang=en, with the banner until a choice is made", async () => {
    const sv = await page("/missions");
    expect(sv.status).toBe(200);
    expect(sv.headers.get("content-type")).toMatch(/^text\/html/);
    expect(sv.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(sv.text).toContain('<html lang="sv"');
    expect(sv.text).toContain("Ett nytt recept för matsystemet");
    expect(sv.text).toMatch(/<link rel="stylesheet" href="\/assets\/site\.[0-9a-f]{10}\.css"\/><script src="\/assets\/site\.[0-9a-f]{10}\.js" defer=""><\/script>/);
    expect(sv.text).not.toMatch(/<style|style="/);
    expect(hasBanner(sv.text)).toBe(true);
    expect(sv.text).toContain('<form method="post" action="/cookies"');
    expect(sv.text).toContain('href="/cookies?return=%2Fmissions"');
    // No choice yet: no functional consent, so no widget either.
    expect(signupStateOf(sv.text)).toBe("undecided");
    expect(hasForm(sv.text)).toBe(false);

    const en = await page("/missions?lang=en");
    expect(en.text).toContain('<html lang="en"');
    expect(en.text).toContain("A new recipe for the food system");
    expect(en.text).toContain("Cookie settings");
    expect(en.text).toContain('href="/missions" lang="sv" hreflang="sv">Svenska</a>');
  });

  it("reads the consent cookie from the request, among others, and ignores a malformed one", async () => {
    const accepted = await page("/missions", `theme=dark; ${ACCEPTED}; other=1`);
    expect(hasBanner(accepted.text)).toBe(false);
    expect(hasForm(accepted.text)).toBe(true);
    expect(accepted.text).toContain('name="policyVersion" value="2026-11"');

    const declined = await page("/missions?lang=en", DECLINED);
    expect(hasBanner(declined.text)).toBe(false);
    expect(hasForm(declined.text)).toBe(false);
    expect(declined.text).toContain(DECLINED_EN);
    expect(declined.text).toContain('href="/cookies?lang=en&amp;return=%2Fmissions%3Flang%3Den"');
    expect((await page("/missions", DECLINED)).text).toContain(DECLINED_SV);

    for (const bad of ["mm_cookies=yes", "mm_cookies=v1:f1", "mm_cookies=v2:f1:s1", "mm_cookies=%E0%A4%A", `mm_cookies=${"x".repeat(5000)}`, "=;;mm_cookies"]) {
      const res = await page("/missions", bad);
      expect(res.status, bad).toBe(200);
      expect(hasBanner(res.text), bad).toBe(true);
      expect(hasForm(res.text), bad).toBe(false);
    }
  });

  it("shows a mission page with its mission chosen in the widget, and a 404 page for unknown, retired or malformed ids", async () => {
    const res = await page("/missions/mobility?lang=en", ACCEPTED);
    expect(res.status).toBe(200);
    expect(res.text).toContain("<h1>Mobility for sustainable cities</h1>");
    expect(res.text).toMatch(/<input type="checkbox" id="signup-missions-\d" name="missions" value="mobility" checked=""\/>/);
    expect(res.text).toMatch(/<input type="checkbox" id="signup-missions-\d" name="missions" value="food-system"\/>/);
    expect(res.text).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(res.text).toContain('name="from" value="/missions/mobility"');

    for (const path of ["/missions/no-such-mission", "/missions/old-mission", "/missions/UPPER", "/missions/a..b", `/missions/${"a".repeat(300)}`, "/missions/no-such-mission/archive", "/missions/old-mission/feed.atom"]) {
      const missing = await page(`${path}${path.includes("?") ? "&" : "?"}lang=en`);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(missing.text, path).toContain("Page not found");
    }
    expect((await page("/missions/%E0%A4%A")).status).toBe(404);
    // The retired mission is not offered either.
    expect((await page("/missions", ACCEPTED)).text).not.toContain("old-mission");
  });

  it("serves the style sheet and script by content-hashed name, cached for a year", async () => {
    const overview = await page("/missions");
    const css = await page(/<link rel="stylesheet" href="([^"]+)"/.exec(overview.text)![1]!);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(css.text).toContain(":focus-visible");
    const js = await page(/<script src="([^"]+)"/.exec(overview.text)![1]!);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    expect(js.text).toContain("data-cookie-form");
    for (const unknown of ["/assets/site.js", "/assets/site.0000000000.js", "/assets/constructor", "/assets/..%2Fpackage.json"]) {
      const res = await page(unknown);
      expect(res.status, unknown).toBe(404);
      expect(res.headers.get("cache-control"), unknown).toBe("no-store");
    }
  });

  it("never changes the table on GET", async () => {
    const before = (await h.allItems()).length;
    for (const [path, cookie] of [
      ["/missions", undefined],
      ["/missions?lang=en", ACCEPTED],
      ["/missions/food-system", DECLINED],
      ["/missions/food-system/archive?lang=en", undefined],
      ["/missions/food-system/feed.atom", undefined],
      ["/missions/nope", undefined],
      ["/cookies?return=/missions/mobility", ACCEPTED],
      ["/assets/site.js", undefined],
      ["/assets/site.0000000000.css", undefined],
    ] as const) {
      expect((await page(path, cookie)).status, path).toBeLessThan(500);
    }
    expect((await h.allItems()).length).toBe(before);
  });
});

describe("POST /cookies", () => {
  const setCookie = (res: { headers: Headers }) => res.headers.getSetCookie();

  it("sets the choice and redirects a plain form back to the page it came from", async () => {
    const all = await post("/cookies", [["return", "/missions/mobility?lang=en"], ["choice", "all"]]);
    expect(all.status).toBe(303);
    expect(all.headers.get("location")).toBe("/missions/mobility?lang=en");
    expect(setCookie(all)).toEqual(["mm_cookies=v1:f1:s1; Path=/; Max-Age=31536000; SameSite=Lax"]);

    const necessary = await post("/cookies", [["return", "/missions"], ["choice", "necessary"], ["functional", "1"]]);
    expect(setCookie(necessary)[0]).toMatch(/^mm_cookies=v1:f0:s0;/);
    const custom = await post("/cookies", [["return", "/missions"], ["choice", "custom"], ["statistics", "1"]]);
    expect(setCookie(custom)[0]).toMatch(/^mm_cookies=v1:f0:s1;/);

    const https = await post("/cookies", [["choice", "all"]], { "x-forwarded-proto": "https" });
    expect(setCookie(https)[0]).toMatch(/; Secure$/);
  });

  it("answers the script with JSON and the cookie instead of a redirect", async () => {
    const res = await post("/cookies", [["choice", "custom"], ["functional", "1"], ["return", "/missions"]], { accept: "application/json" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cookies: { functional: true, statistics: false } });
    expect(setCookie(res)[0]).toMatch(/^mm_cookies=v1:f1:s0; Path=\/; Max-Age=31536000; SameSite=Lax$/);
  });

  it("refuses to redirect anywhere but a same-site path", async () => {
    const attempts = ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/%0a/evil.example", "javascript:alert(1)", "\\\\evil.example", " /missions", "missions", ""];
    for (const target of attempts) {
      const res = await post("/cookies", [["choice", "all"], ["return", target]]);
      expect(res.status, target).toBe(303);
      const location = res.headers.get("location")!;
      expect(new URL(location, "http://site.test").host, target).toBe("site.test");
      expect(location, target).toMatch(/^\/(?![/\\])/);
    }
    expect((await post("/cookies", [["choice", "all"], ["return", "//evil.example"]])).headers.get("location")).toBe("/missions");
    for (const target of ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/a/..//evil.example", "/%2e%2e//evil.example", "/api/consent", "/staff"]) {
      const res = await post("/cookies", [["choice", "all"], ["return", target]]);
      expect(res.status, target).toBe(303);
      expect(res.headers.get("location"), target).toBe("/missions");
    }
    expect((await post("/cookies", [["choice", "all"], ["lang", "en"], ["return", "https://evil.example"]])).headers.get("location")).toBe("/missions?lang=en");
  });

  it("refuses an unknown choice and oversize or binary bodies with a page, setting nothing", async () => {
    const unknown = await post("/cookies", [["choice", "everything"], ["lang", "en"]]);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("Choose one of the buttons in the cookie form.");
    expect(setCookie(unknown)).toEqual([]);
    const huge = await post("/cookies", `choice=all&pad=${"x".repeat(10_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.headers.get("content-type")).toMatch(/^text\/html/);
    const binary = await h.request("POST", "/cookies", { body: new Uint8Array([0xff, 0xfe, 0x00, 0x80]) as unknown as string, headers: { "content-type": FORM } });
    expect(binary.status).toBe(400);
    expect(binary.text).toContain("Formuläret kunde inte läsas");
  });

  it("shows the settings page with the current choices and a safe way back", async () => {
    const res = await page("/cookies?lang=en&return=/missions/mobility%3Flang%3Den", "mm_cookies=v1:f0:s1");
    expect(res.status).toBe(200);
    expect(hasBanner(res.text)).toBe(false);
    expect(res.text).toContain("<h1 id=\"page-title\" tabindex=\"-1\">Cookie settings</h1>");
    expect(res.text).toMatch(/name="functional" value="1" aria-describedby/);
    expect(res.text).toMatch(/name="statistics" value="1" checked/);
    expect(res.text).toContain('name="return" value="/missions/mobility?lang=en"');
    const evil = await page("/cookies?return=//evil.example");
    expect(evil.text).toContain('name="return" value="/missions"');
    const dotted = await page(`/cookies?return=${encodeURIComponent("/.//evil.example")}`);
    expect(dotted.text).toContain('name="return" value="/missions"');
    expect(dotted.text).toMatch(/<p><a href="\/missions">[^<]+<\/a><\/p>/);
    expect(dotted.text).not.toContain("evil.example");
  });
});

describe("POST /subscribe", () => {
  it("refuses the form without functional cookies, as the page would not show it", async () => {
    const none = await post("/subscribe", signUpFields());
    expect(none.status).toBe(403);
    expect(signupStateOf(none.text)).toBe("undecided");
    const declined = await post("/subscribe", signUpFields({ lang: "sv" }), { cookie: DECLINED });
    expect(declined.status).toBe(403);
    expect(declined.text).toContain(DECLINED_SV);
    expect(hasForm(declined.text)).toBe(false);
  });

  it("links back only to one of the site's pages, whatever the form's from says", async () => {
    const kept = await post("/subscribe", signUpFields({ from: "/missions/mobility" }), { cookie: DECLINED });
    expect(kept.text).toContain('name="return" value="/missions/mobility?lang=en"');
    for (const from of ["/.//evil.example", "/%2e%2e//evil.example", "/assets/site.js"]) {
      const res = await post("/subscribe", signUpFields({ from }), { cookie: DECLINED });
      expect(res.status, from).toBe(403);
      expect(res.text, from).toContain('name="return" value="/missions?lang=en"');
      expect(res.text, from).not.toContain("evil.example");
    }
  });

  it("shows the form again with the values kept, the errors linked and described, and the right status", async () => {
    const res = await post("/subscribe", signUpFields({ email: "not-an-address", missions: [], topics: ["news"], consent: "" }), { cookie: ACCEPTED });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<title>Error: Subscribe to the newsletter");
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toContain('<a href="#signup-email">Enter a valid email address, like name@example.com.</a>');
    expect(res.text).toContain('<a href="#signup-missions-0">Choose at least one mission.</a>');
    expect(res.text).toContain('<a href="#signup-consent">You need to agree to the terms to subscribe.</a>');
    expect(res.text).toContain('value="not-an-address"');
    expect(res.text).toMatch(/aria-describedby="signup-email-hint signup-email-error" aria-invalid="true"/);
    expect(res.text).toMatch(/<fieldset id="signup-missions" class="has-error" aria-describedby="signup-missions-hint signup-missions-error">/);
    expect(res.text).toMatch(/name="topics" value="news" checked/);
    expect(res.text).toMatch(/name="topics" value="seminar"\/>/);
    expect(res.text).toMatch(/name="cadence" value="monthly" checked/);

    const sv = await post("/subscribe", signUpFields({ lang: "sv", email: "" }), { cookie: ACCEPTED });
    expect(sv.status).toBe(400);
    expect(sv.text).toContain("Ange din e-postadress.");

    const noConsent = await post("/subscribe", signUpFields({ consent: "" }), { cookie: ACCEPTED });
    expect(noConsent.status).toBe(422);
    expect(noConsent.text).toContain("You need to agree to the terms to subscribe.");

    const oldPolicy = await post("/subscribe", signUpFields({ policyVersion: "1999-01" }), { cookie: ACCEPTED });
    expect(oldPolicy.status).toBe(422);
    expect(oldPolicy.text).toContain("The terms have changed.");

    const unknownMission = await post("/subscribe", signUpFields({ missions: ["mobility", "old-mission"] }), { cookie: ACCEPTED });
    expect(unknownMission.status).toBe(400);
    expect(unknownMission.text).toContain("Choose from the missions in the list.");
  });

  it("shows the rate limit as a general error with Retry-After", async () => {
    const email = `limited-${Date.now()}@example.org`;
    for (let i = 0; i < 2; i++) expect((await post("/subscribe", signUpFields({ email }), { cookie: ACCEPTED })).status).toBe(200);
    const limited = await post("/subscribe", signUpFields({ email }), { cookie: ACCEPTED });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.text).toContain("There have been too many sign-ups in a short time.");
    expect(limited.text).toContain(`value="${email}"`);
  });

  it("stores nothing for a bot filling the honeypot, and refuses oversize and binary bodies with a page", async () => {
    await h.drain(); // the sign-ups of the tests before are decided first
    const before = (await h.allItems()).length;
    const bot = await post("/subscribe", signUpFields({ website: "https://spam.example" }), { cookie: ACCEPTED });
    expect(bot.status).toBe(200);
    const huge = await post("/subscribe", `email=${"a".repeat(20_000)}`, { cookie: ACCEPTED });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("Formuläret innehöll för mycket data.");
    const binary = await h.request("POST", "/subscribe", { body: new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]) as unknown as string, headers: { "content-type": FORM, cookie: ACCEPTED } });
    expect(binary.status).toBe(400);
    await h.drain();
    expect((await h.allItems()).length).toBe(before);
  });
});

describe("archive and feed", () => {
  it("lists upcoming seminars, then published content by month, newest first, and as Atom, in both languages, with nothing personal", async () => {
    const now = Date.now();
    const base = { version: 1, missions: ["societal-contract"], summary: "What we learned." };
    const upcoming = new Date(now + 12 * 86_400_000);
    const items = [
      { ...base, id: "pp-news-1", kind: "news", language: "en", title: "Trust & participation <report>", url: "https://missions.example.org/news/trust", publishedAt: new Date(now - 75 * 86_400_000).toISOString() },
      { ...base, id: "pp-publication", kind: "publication", language: "sv", title: "Rapport: delaktighet i praktiken", url: "https://missions.example.org/publikationer/delaktighet", publishedAt: new Date(now - 40 * 86_400_000).toISOString() },
      { ...base, id: "pp-seminar", kind: "seminar", language: "sv", title: "Seminarium om tillit", url: "https://missions.example.org/evenemang/tillit", publishedAt: new Date(now - 86_400_000).toISOString(), startsAt: upcoming.toISOString(), endsAt: new Date(upcoming.getTime() + 7_200_000).toISOString(), location: "Stockholm" },
    ];
    for (const item of items) expect((await h.publish({ type: "content.published", item })).status).toBe(202);
    await h.idle();

    for (const language of ["sv", "en"] as const) {
      const q = language === "en" ? "?lang=en" : "";
      const archive = await page(`/missions/societal-contract/archive${q}`);
      expect(archive.status).toBe(200);
      expect(archive.text).toContain("Trust &amp; participation &lt;report&gt;");
      expect(archive.text).toMatch(/<h3 id="month-\d{4}-\d{2}">[A-ZÅÄÖa-zåäö]+ \d{4}<\/h3>/);
      expect(archive.text.match(/<section class="month"/g)!.length).toBeGreaterThanOrEqual(2);
      const upcomingList = /<h2 id="upcoming-title"[^>]*>[^<]*<\/h2>\s*<ul class="items">([\s\S]*?)<\/ul>/.exec(archive.text)?.[1] ?? "";
      expect(upcomingList).toContain("Seminarium om tillit");
      expect(archive.text.indexOf("Rapport: delaktighet i praktiken")).toBeLessThan(archive.text.indexOf("Trust &amp; participation"));
      // An item in the other language says so, for screen readers.
      const news = /<li data-item="pp-news-1">[\s\S]*?<\/li>/.exec(archive.text)![0];
      expect(news.includes(' lang="en"')).toBe(language === "sv");
      expect(archive.text).toContain(`<link rel="alternate" type="application/atom+xml" title="`);
      expect(archive.text).toContain(`href="/missions/societal-contract/feed.atom?lang=${language}"`);
      expect(archive.text).not.toMatch(EMAIL);

      const feed = await page(`/missions/societal-contract/feed.atom?lang=${language}`);
      expect(feed.status).toBe(200);
      expect(feed.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
      expect(feed.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
      expect(feed.text).toContain(`<title>Missions: ${language === "sv" ? "Samhällskontraktet" : "The societal contract"}</title>`);
      expect(feed.text).toContain("<id>urn:mission-mail:content:pp-news-1</id>");
      expect(feed.text).toContain("<![CDATA[Trust &amp; participation &lt;report&gt;]]>");
      for (const title of ["Seminarium om tillit", "Rapport: delaktighet i praktiken"]) expect(feed.text).toContain(title);
      expect(feed.text).not.toMatch(EMAIL);
    }
  });
});
