import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContentItem, Seminar } from "../../packages/core/src/content/schema";
import { compileContentEmail, digestAssembler, type ContentEmailSpec } from "../../packages/core/src/emails/compile-content";
import { assembleVariant } from "../../packages/core/src/emails/assemble";
import { TRANSACTIONAL_TEMPLATES } from "../../packages/core/src/emails/compiled-templates";
import { personalise, renderTransactional } from "../../packages/core/src/emails/render";
import { LANGUAGES, type Language } from "../../packages/core/src/shared/vocabulary";
import { checkA11y, closeBrowser, launchBrowser, screenshot } from "./browser";

/**
 * Every email kind in both languages, as a mail client's browser engine shows it: axe-core's WCAG 2.1
 * AA rules pass (headings, language, contrast, link names), and the digest's summary links reach its
 * sections. Screenshots of each go to test-results/screenshots/email-*.png.
 */

const SITE = "https://missions.example.org";
const links = { siteUrl: SITE, preferencesUrl: `${SITE}/preferences?token=t`, unsubscribeUrl: `${SITE}/unsubscribe?token=t` };
const start = (day: number) => `2026-12-${String(day).padStart(2, "0")}T09:00:00+01:00`;
const seminar = (n: number, over: Partial<Seminar> = {}): Seminar => ({
  id: `sem-${n}`,
  version: 1,
  missions: [n % 3 ? "food-system" : "mobility"],
  language: n % 4 ? "sv" : "en",
  kind: "seminar",
  title: n % 4 ? `Öppet seminarium ${n}: så halverar vi matsvinnet` : `Open seminar ${n} on charging corridors`,
  summary: "Ett samtal om vägen framåt.",
  url: `${SITE}/seminarier/${n}`,
  publishedAt: "2026-11-20T10:00:00+01:00",
  startsAt: start(1 + (n % 27)),
  endsAt: start(1 + (n % 27)).replace("09:00", "11:00"),
  location: "Konferensrum Ljuset, Stockholm",
  registrationUrl: `${SITE}/anmalan/${n}`,
  ...over,
});
const article = (n: number): ContentItem => ({
  id: `pub-${n}`,
  version: 1,
  missions: ["food-system"],
  language: "sv",
  kind: n % 2 ? "news" : "publication",
  title: `Rapport ${n}: mat för framtiden`,
  summary: "En genomgång av vad kommuner, handel och hushåll kan göra för att halvera matsvinnet till 2030.",
  url: `${SITE}/publikationer/${n}`,
  publishedAt: "2026-11-21T08:00:00+01:00",
});
const MISSIONS = [
  { id: "food-system", name: { sv: "Ett nytt recept för matsystemet", en: "A new recipe for the food system" } },
  { id: "mobility", name: { sv: "Mobilitet för hållbara städer", en: "Mobility for sustainable cities" } },
];

const CONTENT: [string, ContentEmailSpec][] = [
  ["digest", { template: "digest", cadence: "weekly", period: "2026-W49", seminars: Array.from({ length: 13 }, (_, i) => seminar(i + 1)), publications: [1, 2, 3].map(article), missions: MISSIONS }],
  ["alert-bundle", { template: "alert-bundle", seminars: [seminar(1)], publications: [article(2)], missions: MISSIONS }],
  ["seminar-alert", { template: "seminar-alert", item: seminar(4) }],
  ["publication-alert", { template: "publication-alert", item: article(2) }],
  ["seminar-changed", { template: "seminar-changed", item: seminar(1, { location: "Göteborg" }), previous: seminar(1) }],
  [
    "announcement",
    {
      template: "announcement",
      content: { title: { sv: "Var med när Missions Playbook lanseras", en: "Join the launch of the Missions Playbook" }, body: { sv: "Välkommen till **lanseringen**.", en: "Welcome to the **launch**." } },
      contentLanguage: "sv",
      missionNames: ["Ett nytt recept för matsystemet"],
    },
  ],
];

async function emailHtml(name: string, lang: Language): Promise<string> {
  const content = CONTENT.find(([n]) => n === name);
  const spec = content?.[1];
  if (spec?.template === "digest") {
    // The digest as the product sends it: assembled from its skeleton and item blocks.
    const assembler = digestAssembler(spec);
    const { recipe } = await assembler.variant(lang, spec.seminars, spec.publications);
    return personalise(assembleVariant(recipe, assembler.parts()), links).html;
  }
  if (spec) return personalise(await compileContentEmail(spec, lang), links).html;
  return renderTransactional(name as (typeof TRANSACTIONAL_TEMPLATES)[number], lang, { ...links, confirmUrl: `${SITE}/confirm?token=c`, missionList: "Mobilitet", dataUrl: `${SITE}/me?token=d`, missionName: "Mobilitet", topicList: "Seminarier", cadence: "Veckobrev", nextEmail: "Måndag." }, { missions: [{ name: "Mobilitet", archiveUrl: `${SITE}/missions/mobility/archive` }] }).html;
}

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 700, height: 900 } })).newPage();
});
afterAll(() => closeBrowser(browser));

describe("emails in a browser", () => {
  for (const lang of LANGUAGES) {
    for (const name of [...TRANSACTIONAL_TEMPLATES, ...CONTENT.map(([n]) => n)]) {
      it(`${name} (${lang}) passes axe`, async () => {
        await page.setContent(await emailHtml(name, lang));
        await checkA11y(page, `${name} email (${lang})`);
        expect(await page.locator("h1").count()).toBe(1);
        await screenshot(page, `email-${name}-${lang}`);
      });
    }
  }

  it("the digest's summary links lead to its sections", async () => {
    await page.setContent(await emailHtml("digest", "sv"));
    for (const id of ["seminars", "publications"]) {
      const target = await page.locator(`a[href="#${id}"]`).evaluate((a) => (a as unknown as { hash: string }).hash);
      expect(await page.locator(target).evaluate((h) => (h as unknown as { tagName: string }).tagName)).toBe("H2");
    }
    expect(await page.locator("h2").allTextContents()).toEqual(["Kommande seminarier", "Nya publikationer och nyheter"]);
  });
});
