import { describe, expect, it } from "vitest";
import type { ContentItem, Mission, Seminar } from "../../../packages/web/src/core";
import { archivePage } from "../../../packages/web/src/archive-page";
import { confirmPage, linkFailedPage, linkFailure } from "../../../packages/web/src/confirm-page";
import { cookieSettingsPage } from "../../../packages/web/src/cookie-settings-page";
import { copy } from "../../../packages/web/src/copy";
import { dataRightsPage } from "../../../packages/web/src/data-rights-page";
import { missionFeed } from "../../../packages/web/src/mission-feed";
import { missionNotFoundPage, missionPage, overviewPage, refusalPage, signupResultPage, type PageContext } from "../../../packages/web/src/missions-pages";
import { preferencesPage } from "../../../packages/web/src/preferences-page";
import { defaultSignupValues, signupErrors, type SignupState } from "../../../packages/web/src/signup-widget";
import { staffConsolePage, staffConsoleSignIn } from "../../../packages/web/src/staff-console-page";
import { unsubscribePage } from "../../../packages/web/src/unsubscribe-page";

/**
 * The pages rendered as functions, without HTTP: what each shows, and that nothing a mission, a
 * content item or a visitor supplies can become markup. Pages escape by construction (hono/jsx); these
 * tests are the proof.
 */

const XSS = `<script>alert("x")</script>`;
const ATTR = `" onmouseover="alert(1)`;

const mission: Mission = {
  id: "food-system",
  name: { sv: `Matsystemet ${XSS}`, en: `Food system ${XSS}` },
  description: { sv: `Om maten ${ATTR}`, en: `About food ${ATTR}` },
  contact: `team${ATTR}@example.org`,
  status: "active",
};

const seminar: Seminar = {
  id: "s1",
  version: 1,
  kind: "seminar",
  missions: ["food-system"],
  language: "sv",
  title: `Seminarium ${XSS}`,
  summary: `Summary & ${XSS}`,
  url: `https://missions.example.org/s1?a=1&b="><script>`,
  publishedAt: "2026-10-01T08:00:00Z",
  startsAt: "2026-12-01T08:00:00Z",
  endsAt: "2026-12-01T10:00:00Z",
  location: `Stockholm ${XSS}`,
  registrationUrl: "https://missions.example.org/s1/register",
};
const news: ContentItem = { ...seminar, id: "n1", kind: "news", language: "en", title: `News ${XSS}` } as unknown as ContentItem;

const ctx = (language: "sv" | "en", banner = false): PageContext => ({ language, path: "/missions/food-system", banner });
const form = (language: "sv" | "en"): SignupState => ({
  kind: "form",
  missions: [mission],
  values: { ...defaultSignupValues(language, mission.id), email: `a${ATTR}@example.org` },
  policy: { policyVersion: "2026-01", text: { sv: `Villkor ${XSS}`, en: `Terms ${XSS}` } },
  from: "/missions/food-system",
});

/** The `<script>` elements a page has: only same-origin script files and the console's JSON block. */
const scripts = (html: string) => [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);

/** Throws unless nothing from the data escaped into markup. */
function expectInert(html: string) {
  expect(html).not.toContain("<script>alert");
  expect(html).not.toContain('" onmouseover="');
  // With every quoted attribute value emptied, no tag may be left with an event handler.
  expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\sonmouseover=/);
  for (const tag of scripts(html)) expect(tag).toMatch(/^<script (src="\/assets\/[^"]+" defer=""|type="application\/json" id="console-data")>$/);
}

describe("pages escape what they are given", () => {
  for (const language of ["sv", "en"] as const) {
    it(`${language}: a mission page with a <script> in the mission's name and a content title shows them as text`, () => {
      const html = missionPage(ctx(language, true), mission, [seminar], [news], form(language));
      expectInert(html);
      expect(html).toContain(`&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;`);
      expect(html).toContain(`<h1>${language === "sv" ? "Matsystemet" : "Food system"} &lt;script&gt;`);
      expect(html).toContain(`href="https://missions.example.org/s1?a=1&amp;b=%22%3E%3Cscript%3E"`);
      expect(html).toContain(`<html lang="${language}">`);
      expect(html.startsWith("<!doctype html>\n<html")).toBe(true);
    });

    it(`${language}: the overview, archive, sign-up result and not-found pages do too`, () => {
      expectInert(overviewPage(ctx(language), [mission], [seminar], form(language)));
      expectInert(archivePage(ctx(language), mission, [seminar], [news]));
      expectInert(signupResultPage(ctx(language), { ...form(language), errors: signupErrors(language, "validation_failed", [{ field: "email", message: XSS }], { email: "x", consent: false }) } as SignupState));
      expectInert(signupResultPage(ctx(language), { kind: "sent", email: `${XSS}@example.org` }));
      expectInert(missionNotFoundPage(ctx(language, true)));
      expectInert(refusalPage(language, XSS));
    });

    it(`${language}: link pages, the preference centre and the console escape tokens, addresses and messages`, () => {
      expectInert(confirmPage(language, `tok${ATTR}`));
      expectInert(unsubscribePage(language, `tok${ATTR}`, "c1"));
      expectInert(dataRightsPage(language, `tok${ATTR}`, "export"));
      expectInert(dataRightsPage(language, `tok${ATTR}`, "erase"));
      expectInert(cookieSettingsPage(language, `/missions${ATTR}`, { functional: true, statistics: false }));
      const prefs = preferencesPage(language, {
        token: `tok${ATTR}`,
        view: { status: "active", email: `${XSS}@example.org`, language, missions: ["food-system"], topics: ["news"], cadence: "weekly", cadenceByMission: { "food-system": "daily" }, tracking: false, available: [{ id: "food-system", name: mission.name }] },
        problems: [{ field: "missions", message: XSS }],
        notice: XSS,
      });
      expectInert(prefs);
      const console = staffConsolePage(language, staffConsoleSignIn({ MODE: "local", PUBLIC_URL: `http://localhost:3000/${XSS}`, STAFF_AUTH_DOMAIN: undefined, STAFF_CLIENT_ID: undefined }), { complaintRate: 0.001, bounceRate: 0.05 });
      expectInert(console);
      const data = JSON.parse(/<script type="application\/json" id="console-data">([^<]*)<\/script>/.exec(console)![1]!);
      expect(data.signIn.redirectUri).toBe(`http://localhost:3000/${XSS}/staff/callback`);
      expect(data.text).toEqual(copy(language).console.client);
    });
  }

  it("the sign-up's 'check your inbox' puts the address in <strong>, escaped", () => {
    const html = signupResultPage(ctx("en"), { kind: "sent", email: `<b>x</b>@example.org` });
    expect(html).toContain("We have sent an email to <strong>&lt;b&gt;x&lt;/b&gt;@example.org</strong>.");
  });

  it("a mission's contact is a mailto link inside the deck's sentence", () => {
    const html = missionPage(ctx("en"), { ...mission, contact: "team@example.org" }, [], [], form("en"));
    expect(html).toContain(`Contact the mission&#39;s team at <a href="mailto:team@example.org">team@example.org</a>.`);
  });

  it("the Atom feed's HTML is escaped once, as Atom's type=html needs", () => {
    const xml = missionFeed(mission, [news], "en", "https://missions.example.org", new Date("2026-11-01T00:00:00Z"));
    expect(xml).not.toMatch(/<script|<!\[CDATA\[[^\]]*<script/);
    expect(xml).toContain("<title type=\"html\"><![CDATA[News &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;]]></title>");
    expect(xml).toContain("<p>News · Published");
  });
});

describe("pages for links that do not work", () => {
  it("say why in the visitor's language, and a confirmation link that expired says to sign up again", () => {
    expect(linkFailure("token_expired", "confirm")).toBe("confirm_token_expired");
    expect(linkFailure("token_expired", "manage")).toBe("token_expired");
    expect(linkFailure("not_found", "confirm")).toBeUndefined();
    expect(linkFailure("rate_limited", "manage")).toBeUndefined();
    expect(linkFailedPage("sv", "invalid_token")).toContain(`<p class="error">${copy("sv").links.invalid_token}</p>`);
    expect(linkFailedPage("en", "confirm_token_expired")).toContain("Please sign up again to get a new one.");
  });
});

describe("the sign-up section", () => {
  it("shows the cookie notices instead of the form, and keeps the form's values and errors", () => {
    const declined = missionPage(ctx("sv"), mission, [], [], { kind: "declined", returnTo: "/missions/food-system", statistics: true });
    expect(declined).toContain('data-state="declined"');
    expect(declined).toContain('<input type="hidden" name="statistics" value="1"/>');
    expect(declined).not.toContain('action="/subscribe"');
    const refused = signupResultPage(ctx("en"), { ...form("en"), errors: signupErrors("en", "validation_failed", [{ field: "email", message: "bad" }], { email: "x", consent: false }) } as SignupState);
    expect(refused).toContain("<title>Error: Subscribe to the newsletter – Missions newsletter</title>");
    expect(refused).toContain('<a href="#signup-email">Enter a valid email address, like name@example.com.</a>');
    expect(refused).toContain('aria-describedby="signup-email-hint signup-email-error" aria-invalid="true"');
    expect(refused).toMatch(/<input type="checkbox" id="signup-missions-0" name="missions" value="food-system" checked=""\/>/);
  });
});
