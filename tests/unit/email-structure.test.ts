import { describe, expect, it } from "vitest";
import type { ContentItem, Seminar } from "../../packages/core/src/content/schema";
import { archivePath, compileContentEmail, DIGEST_SECTION_LIMIT, type ContentEmailSpec } from "../../packages/core/src/emails/compile-content";
import { TRANSACTIONAL_TEMPLATES } from "../../packages/core/src/emails/compiled-templates";
import { personalise, renderTransactional, type RenderedEmail } from "../../packages/core/src/emails/render";
import { retirementVariant } from "../../packages/core/src/missions/retire-mission";
import { LANGUAGES, type Language } from "../../packages/core/src/shared/vocabulary";

/**
 * The structure every email shares: real headings (one h1, sections as h2), a preheader in the
 * reader's language, a footer that invites replies and links to the site, its accessibility statement
 * and its privacy notice, and single-item subjects whose prefix is the reader's language.
 */

const SITE = "https://missions.example.org";
const links = { siteUrl: SITE, preferencesUrl: `${SITE}/preferences?token=t`, unsubscribeUrl: `${SITE}/unsubscribe?token=t` };

const seminar = (n: number, over: Partial<Seminar> = {}): Seminar => ({
  id: `sem-${n}`,
  version: 1,
  missions: ["food-system"],
  language: "sv",
  kind: "seminar",
  title: `Öppet seminarium ${n} om matsvinn`,
  summary: "Hur halverar vi matsvinnet?",
  url: `${SITE}/seminarier/${n}`,
  publishedAt: "2026-11-20T10:00:00+01:00",
  startsAt: "2026-12-03T09:00:00+01:00",
  endsAt: "2026-12-03T11:00:00+01:00",
  location: "Stockholm",
  ...over,
});
const article = (n: number, kind: "publication" | "news", over: Partial<ContentItem> = {}): ContentItem =>
  ({
    id: `${kind}-${n}`,
    version: 1,
    missions: ["mobility"],
    language: "sv",
    kind,
    title: `Rapport ${n}`,
    summary: "En sammanfattning.",
    url: `${SITE}/publikationer/${n}`,
    publishedAt: "2026-11-21T08:00:00+01:00",
    ...over,
  }) as ContentItem;

const MISSIONS = [
  { id: "food-system", name: { sv: "Ett nytt recept för matsystemet", en: "A new recipe for the food system" } },
  { id: "mobility", name: { sv: "Mobilitet för hållbara städer", en: "Mobility for sustainable cities" } },
];

const contentSpecs = (): [string, ContentEmailSpec][] => [
  ["digest", { template: "digest", cadence: "weekly", period: "2026-W48", seminars: [seminar(1), seminar(2)], publications: [article(1, "publication"), article(2, "news")], missions: MISSIONS }],
  ["alert-bundle", { template: "alert-bundle", seminars: [seminar(1)], publications: [article(1, "publication")], missions: MISSIONS }],
  ["seminar-alert", { template: "seminar-alert", item: seminar(1) }],
  ["publication-alert", { template: "publication-alert", item: article(1, "publication") }],
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

/** Every email kind, personalised, in a language. */
async function everyEmail(lang: Language): Promise<[string, RenderedEmail][]> {
  const out: [string, RenderedEmail][] = [];
  for (const name of TRANSACTIONAL_TEMPLATES) {
    out.push([name, renderTransactional(name, lang, { ...links, confirmUrl: `${SITE}/confirm?token=c`, missionList: "Mobilitet", dataUrl: `${SITE}/me?token=d`, missionName: "Mobilitet" })]);
  }
  for (const [name, spec] of contentSpecs()) out.push([name, personalise(await compileContentEmail(spec, lang), links)]);
  return out;
}

const count = (html: string, tag: string) => (html.match(new RegExp(`<${tag}[\\s>]`, "g")) ?? []).length;
/** The hidden preheader MJML puts first in the body. */
const preheader = (html: string) => /<body[^>]*>\s*<div style="display:none;[^"]*">([^<]*)<\/div>/.exec(html)?.[1];
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("email structure", () => {
  it.each(LANGUAGES)("every email kind in %s has exactly one h1, a preheader, and a footer that invites replies and links to the site", async (lang) => {
    const footer =
      lang === "sv"
        ? { reply: "Svara gärna på det här mejlet – det når en person", paths: ["/missions", "/tillganglighet", "/personuppgifter"] }
        : { reply: "Just reply to this email – it reaches a person", paths: ["/missions?lang=en", "/en/accessibility", "/en/privacy"] };
    const emails = await everyEmail(lang);
    expect(emails.length).toBe(TRANSACTIONAL_TEMPLATES.length + contentSpecs().length);
    for (const [name, email] of emails) {
      expect(count(email.html, "h1"), `${name} (${lang}) h1`).toBe(1);
      // The title is the h1: no large bold div stands in for a heading any more (the 20px brand bar is not a heading).
      expect(email.html, name).not.toMatch(/<div[^>]*font-size:2[1-4]px;[^>]*font-weight:bold/);
      expect(preheader(email.html)?.trim().length, `${name} (${lang}) preheader`).toBeGreaterThan(5);
      expect(email.html).toContain(footer.reply);
      expect(email.text).toContain(footer.reply);
      for (const path of footer.paths) {
        expect(email.html, `${name} ${path}`).toContain(`href="${SITE}${path.replace("&", "&amp;")}"`);
        expect(email.text).toContain(`${SITE}${path}`);
      }
      expect(email.html + email.text).not.toMatch(/Svara inte|do not reply/i);
    }
  });

  it.each(LANGUAGES)("in %s, a digest's sections are h2 headings that its summary links to, with counts", async (lang) => {
    const [, spec] = contentSpecs()[0]!;
    const email = await compileContentEmail(spec, lang);
    expect(count(email.html, "h2")).toBe(2);
    for (const id of ["seminars", "publications"]) {
      expect(email.html).toMatch(new RegExp(`<h2 id="${id}"`));
      expect(email.html).toContain(`href="#${id}"`);
    }
    const summary = lang === "sv" ? ["Kommande seminarier</a>: 2", "Nya publikationer och nyheter</a>: 2"] : ["Upcoming seminars</a>: 2", "New publications and news</a>: 2"];
    for (const s of summary) expect(email.html).toContain(s);
    // Items are h3 under their section, so a screen reader can move from item to item.
    expect(count(email.html, "h3")).toBe(4);
    expect(email.text).toMatch(lang === "sv" ? /I det här brevet:\n- Kommande seminarier: 2\n- Nya publikationer och nyheter: 2/ : /In this email:\n- Upcoming seminars: 2\n- New publications and news: 2/);
  });

  it("puts a digest's counts in its preheader, in the reader's language", async () => {
    const spec: ContentEmailSpec = {
      template: "digest",
      cadence: "weekly",
      period: "2026-W48",
      seminars: [seminar(1), seminar(2), seminar(3)],
      publications: [article(1, "publication"), article(2, "publication")],
    };
    expect(preheader((await compileContentEmail(spec, "sv")).html)).toBe("3 seminarier och 2 publikationer");
    expect(preheader((await compileContentEmail(spec, "en")).html)).toBe("3 seminars and 2 publications");
    const mixed = { ...spec, seminars: [seminar(1)], publications: [article(1, "publication"), article(2, "news"), article(3, "news")] };
    expect(preheader((await compileContentEmail(mixed, "sv")).html)).toBe("1 seminarium, 1 publikation och 2 nyheter");
    expect(preheader((await compileContentEmail(mixed, "en")).html)).toBe("1 seminar, 1 publication and 2 news items");
  });

  it("gives alerts, the confirmation and a retirement a preheader of their own", async () => {
    const alert = await compileContentEmail({ template: "seminar-alert", item: seminar(7) }, "en");
    expect(preheader(alert.html)).toMatch(/^Öppet seminarium 7 om matsvinn – Thursday 3 December 2026/);
    expect(preheader((await compileContentEmail({ template: "publication-alert", item: article(4, "news") }, "sv")).html)).toBe("Rapport 4");
    expect(preheader(renderTransactional("confirm", "sv", { ...links, confirmUrl: "u", missionList: "M" }).html)).toBe("Ett klick kvar: bekräfta att du vill få mejl från Missions.");
    expect(preheader(renderTransactional("confirm", "en", { ...links, confirmUrl: "u", missionList: "M" }).html)).toBe("One click left: confirm that you want email from Missions.");
    const retired = personalise(retirementVariant("Mobilitet <för> städer", "sv", false), links);
    expect(preheader(retired.html)).toBe("Du behöver inte göra något: vi har tagit bort Mobilitet &lt;för&gt; städer från dina val.");
  });

  it(`lists at most ${DIGEST_SECTION_LIMIT} items a section, and links the rest to each of their missions' archives`, async () => {
    const seminars = Array.from({ length: DIGEST_SECTION_LIMIT + 4 }, (_, i) => seminar(i, { missions: [i < DIGEST_SECTION_LIMIT + 2 ? "food-system" : "mobility"] }));
    const spec: ContentEmailSpec = { template: "digest", cadence: "monthly", period: "2026-12", seminars, publications: [article(1, "news")], missions: MISSIONS };
    const sv = personalise(await compileContentEmail(spec, "sv"), links);
    expect(textOf(sv.html).match(/Öppet seminarium \d+ om matsvinn/g)).toHaveLength(DIGEST_SECTION_LIMIT);
    expect(textOf(sv.html)).toContain("… och 4 till på webbplatsen: Ett nytt recept för matsystemet , Mobilitet för hållbara städer");
    expect(sv.html).toContain(`<a href="${SITE}/missions/food-system/archive">Ett nytt recept för matsystemet</a>`);
    expect(sv.html).toContain(`<a href="${SITE}/missions/mobility/archive">Mobilitet för hållbara städer</a>`);
    expect(sv.text).toContain(`… och 4 till på webbplatsen:\nEtt nytt recept för matsystemet: ${SITE}/missions/food-system/archive\nMobilitet för hållbara städer: ${SITE}/missions/mobility/archive`);
    // The summary counts every item, not only those listed.
    expect(sv.html).toContain(`Kommande seminarier</a>: ${DIGEST_SECTION_LIMIT + 4}`);
    const en = personalise(await compileContentEmail(spec, "en"), links);
    expect(en.html).toContain(`<a href="${SITE}/missions/mobility/archive?lang=en">Mobility for sustainable cities</a>`);
    expect(textOf(en.html)).toContain("… and 4 more on the website:");
    expect(archivePath("food-system", "en")).toBe("/missions/food-system/archive?lang=en");
    // A section that lists everything has no such line.
    expect(textOf(sv.html)).not.toMatch(/… och \d+ till på webbplatsen: Mobilitet för hållbara städer$/);
    expect(textOf(en.html).match(/more on the website/g)).toHaveLength(1);
  });

  it("keeps a single item's subject prefix in the reader's language, notes the title's language, and marks it with lang", async () => {
    const english = seminar(1, { language: "en", title: "Open seminar on food waste" });
    const sv = await compileContentEmail({ template: "seminar-alert", item: english }, "sv");
    expect(sv.subject).toBe("Nytt seminarium (på engelska): Open seminar on food waste");
    expect(sv.html).toMatch(/<h1 lang="en"[^>]*>Open seminar on food waste<\/h1>/);
    const en = await compileContentEmail({ template: "seminar-alert", item: seminar(1) }, "en");
    expect(en.subject).toBe("New seminar (in Swedish): Öppet seminarium 1 om matsvinn");
    expect(en.html).toMatch(/<h1 lang="sv"[^>]*>Öppet seminarium 1 om matsvinn<\/h1>/);
    expect(en.html).toContain('<html lang="en"');
    // Same language: no note.
    expect((await compileContentEmail({ template: "seminar-alert", item: seminar(1) }, "sv")).subject).toBe("Nytt seminarium: Öppet seminarium 1 om matsvinn");
    expect((await compileContentEmail({ template: "publication-alert", item: article(2, "news", { language: "en", title: "Report" }) }, "sv")).subject).toBe("Nyhet (på engelska): Report");
    const changed = await compileContentEmail({ template: "seminar-changed", item: { ...english, location: "Malmö" }, previous: english }, "sv");
    expect(changed.subject).toBe("Ändrat seminarium (på engelska): Open seminar on food waste");
  });
});
