import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ContentItem, Seminar } from "../../packages/core/src/content/schema";
import { CONTENT_MODULE, contentModuleSource, contentSources } from "../../packages/core/src/emails/compile-templates";
import {
  compileContentEmail,
  DIGEST_SECTION_LIMIT,
  itemLeftOut,
  RECIPIENT_PLACEHOLDERS,
  type ContentEmailSpec,
} from "../../packages/core/src/emails/compile-content";
import { formatSeminarTime } from "../../packages/core/src/emails/format-date";
import { personalise } from "../../packages/core/src/emails/render";
import type { Language } from "../../packages/core/src/shared/vocabulary";

const LIMIT = 102 * 1024;

function seminar(n: number, over: Partial<Seminar> = {}): Seminar {
  return {
    id: `sem-${n}`,
    version: 1,
    missions: ["fossil-free-transport"],
    language: "sv",
    kind: "seminar",
    title: `Frukostseminarium ${n} om laddinfrastruktur`,
    summary: "Hur bygger vi ut laddning längs vägarna? Vi går igenom läget och nästa steg.",
    url: `https://missions.example.org/seminarier/${n}`,
    publishedAt: "2026-11-20T10:00:00+01:00",
    startsAt: "2026-12-03T09:00:00+01:00",
    endsAt: "2026-12-03T11:00:00+01:00",
    location: "Konferensrum Ljuset, Exempelgatan 1, Stockholm",
    registrationUrl: `https://missions.example.org/anmalan/${n}`,
    ...over,
  };
}

function article(n: number, over: Partial<Extract<ContentItem, { kind: "publication" | "news" }>> = {}): ContentItem {
  return {
    id: `pub-${n}`,
    version: 1,
    missions: ["healthy-food"],
    language: "sv",
    kind: n % 2 ? "news" : "publication",
    title: `Rapport ${n}: Så minskar vi matsvinnet`,
    summary: "En genomgång av vad kommuner, handel och hushåll kan göra för att halvera matsvinnet till 2030.",
    url: `https://missions.example.org/publikationer/${n}`,
    publishedAt: `2026-11-${String(10 + (n % 18)).padStart(2, "0")}T08:00:00+01:00`,
    ...over,
  };
}

const HOSTILE = [
  "{{unsubscribeUrl}}",
  "{{#each x}}{{this}}{{/each}}",
  "</mj-text><script>alert(1)</script>",
  "{{{triple}}} and }}{{",
  `"Quotes" & 'apostrophes' <b>bold</b> 🎉`,
].join(" ");

/** One spec of every kind, so every template is covered in both languages. */
function specs(): ContentEmailSpec[] {
  const s1 = seminar(1);
  return [
    { template: "digest", cadence: "weekly", period: "2026-W48", seminars: [s1, seminar(2, { registrationUrl: undefined })], publications: [article(1), article(2)] },
    { template: "digest", cadence: "monthly", period: "2026-12", seminars: [s1], publications: [article(2)] },
    { template: "alert-bundle", seminars: [s1], publications: [article(1), article(2)] },
    { template: "seminar-alert", item: s1 },
    { template: "seminar-alert", item: seminar(3, { registrationUrl: undefined }) },
    { template: "publication-alert", item: article(1) },
    { template: "publication-alert", item: article(2) },
    { template: "seminar-changed", item: seminar(1, { startsAt: "2026-12-04T13:00:00+01:00", endsAt: "2026-12-04T15:00:00+01:00" }), previous: s1 },
  ];
}

/** Every `{{…}}` in a string. */
const placeholders = (s: string) => [...s.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]);

function expectOnlyRecipientPlaceholders(email: { subject: string; html: string; text: string }) {
  expect(email.subject).not.toMatch(/\{\{|\}\}/);
  for (const part of [email.html, email.text]) {
    expect(new Set(placeholders(part))).toEqual(new Set(RECIPIENT_PLACEHOLDERS));
    let rest = part;
    for (const p of RECIPIENT_PLACEHOLDERS) rest = rest.replaceAll(`{{${p}}}`, "");
    expect(rest).not.toMatch(/\{\{|\}\}/);
  }
}

const recipient = { siteUrl: "https://missions.example.org", preferencesUrl: "https://missions.example.org/preferences?token=abc", unsubscribeUrl: "https://missions.example.org/unsubscribe?token=abc" };

describe("content email templates", () => {
  it("are prepared from templates/ and the committed module is up to date (run `npm run templates`)", () => {
    expect(readFileSync(CONTENT_MODULE, "utf8")).toBe(contentModuleSource(contentSources()));
  });

  it.each(["sv", "en"] as const)("compile every template in %s: lang, text part, recipient placeholders only, size", async (lang) => {
    for (const spec of specs()) {
      const email = await compileContentEmail(spec, lang);
      expect(email.html).toContain(`<html lang="${lang}"`);
      expect(email.text.length).toBeGreaterThan(100);
      expect(email.text).not.toMatch(/\(\(|\[\[/);
      expect(email.html).not.toMatch(/\(\([#^/]?[A-Za-z]|\[\[/);
      expect(email.subject).not.toMatch(/[\r\n]/);
      expect(email.subject.length).toBeGreaterThan(5);
      expectOnlyRecipientPlaceholders(email);
      expect(Buffer.byteLength(email.html)).toBeLessThan(LIMIT);

      const sent = personalise(email, recipient);
      expect(sent.html + sent.text + sent.subject).not.toContain("{{");
      expect(sent.html).toContain('href="https://missions.example.org/unsubscribe?token=abc"');
      expect(sent.html).toContain('href="https://missions.example.org/preferences?token=abc"');
      expect(sent.text).toContain(recipient.unsubscribeUrl);
    }
  });

  it("writes subjects from the period, the count or the item title", async () => {
    const s = seminar(1);
    const subject = async (spec: ContentEmailSpec, lang: Language) => (await compileContentEmail(spec, lang)).subject;
    expect(await subject({ template: "digest", cadence: "weekly", period: "2026-W48", seminars: [s], publications: [] }, "sv")).toBe("Missions: veckobrev v. 48");
    expect(await subject({ template: "digest", cadence: "weekly", period: "2027-W05", seminars: [s], publications: [] }, "en")).toBe("Missions: weekly update, week 5");
    expect(await subject({ template: "digest", cadence: "monthly", period: "2026-12", seminars: [s], publications: [] }, "sv")).toBe("Missions: månadsbrev för december 2026");
    expect(await subject({ template: "alert-bundle", seminars: [s], publications: [article(1), article(2)] }, "en")).toBe("New from Missions: 3 items");
    expect(await subject({ template: "alert-bundle", seminars: [], publications: [article(1)] }, "sv")).toBe("Nytt från Missions: 1 nyhet");
    expect(await subject({ template: "seminar-alert", item: s }, "sv")).toBe("Nytt seminarium: Frukostseminarium 1 om laddinfrastruktur");
    expect(await subject({ template: "publication-alert", item: article(2) }, "en")).toBe("New publication (in Swedish): Rapport 2: Så minskar vi matsvinnet");
    expect(await subject({ template: "publication-alert", item: article(1) }, "sv")).toBe("Nyhet: Rapport 1: Så minskar vi matsvinnet");

    const digest = await compileContentEmail({ template: "digest", cadence: "monthly", period: "2026-12", seminars: [s], publications: [] }, "en");
    expect(digest.html).toContain("This month from Missions");
    const bundle = await compileContentEmail({ template: "alert-bundle", seminars: [s], publications: [] }, "sv");
    expect(bundle.html).toContain("Nytt från Missions");
    expect(bundle.html).not.toContain("Veckans nyheter");
  });

  it("escapes CMS text per part and neutralises braces, so only the recipient placeholders remain", async () => {
    const s = seminar(1, { title: HOSTILE, summary: `Line one {{x}}\nLine two ${HOSTILE}`, location: `Room <1> {{preferencesUrl}}` });
    const p = article(2, { title: `${HOSTILE}\r\nBcc: someone@example.org`, summary: HOSTILE, url: "https://missions.example.org/p?a=1&b={{unsubscribeUrl}}" });
    const hostile: ContentEmailSpec[] = [
      { template: "digest", cadence: "weekly", period: "2026-W48", seminars: [s], publications: [p] },
      { template: "alert-bundle", seminars: [s], publications: [p] },
      { template: "seminar-alert", item: s },
      { template: "publication-alert", item: p },
      { template: "seminar-changed", item: { ...s, location: "Elsewhere {{#if}}" }, previous: s },
    ];
    for (const lang of ["sv", "en"] as const) {
      for (const spec of hostile) {
        const email = await compileContentEmail(spec, lang);
        expectOnlyRecipientPlaceholders(email);
        expect(email.subject).not.toMatch(/[\r\n]/);
        expect(email.html).not.toMatch(/<script|<\/mj-text>|<b>bold/);
        expect(email.html).toContain("&lt;/mj-text&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
        expect(email.html).toContain("&#123;&#123;unsubscribeUrl&#125;&#125;");
        expect(email.html).toContain("&quot;Quotes&quot; &amp; &#39;apostrophes&#39; &lt;b&gt;bold&lt;/b&gt; 🎉");
        // The text part is plain: the title reads as written once the zero-width spaces are ignored.
        expect(email.text).toContain("</mj-text><script>");
        expect(email.text.replace(/\u200b/g, "")).toContain(HOSTILE);
        if (spec.template === "publication-alert") {
          expect(email.subject.replace(/\u200b/g, "")).toContain(`${HOSTILE} Bcc: someone@example.org`);
          expect(email.html).toContain('href="https://missions.example.org/p?a=1&amp;b=%7B%7BunsubscribeUrl%7D%7D"');
          expect(email.text).toContain("https://missions.example.org/p?a=1&b=%7B%7BunsubscribeUrl%7D%7D");
        }

        const sent = personalise(email, recipient);
        expect(sent.html + sent.text + sent.subject).not.toContain("{{");
        expect(sent.html + sent.text + sent.subject).not.toContain("}}");
      }
    }
  });

  it("puts links in under the content URL rule: encoded where that is safe, refused with the rule's reason where not", async () => {
    await expect(compileContentEmail({ template: "publication-alert", item: article(1, { url: "javascript:alert(1)" }) }, "sv")).rejects.toThrow(
      /item "pub-1" has a URL that cannot be used: Must be an http\(s\) URL/,
    );
    await expect(compileContentEmail({ template: "seminar-alert", item: seminar(1, { registrationUrl: "https://missions example.org/anmalan" }) }, "sv")).rejects.toThrow(
      /item "sem-1" has a registration URL that cannot be used/,
    );
    // Stored before the rule: a space is encoded, in both parts.
    const spaced = await compileContentEmail({ template: "publication-alert", item: article(2, { url: "https://missions.example.org/publikationer/en rapport" }) }, "en");
    expect(spaced.text).toContain("https://missions.example.org/publikationer/en%20rapport");
    expect(spaced.html).toContain('href="https://missions.example.org/publikationer/en%20rapport"');
    expect(spaced.html).not.toContain("en rapport");
  });

  it("names an item that cannot go into an email, and why, without compiling anything", () => {
    expect(itemLeftOut(article(1))).toBeUndefined();
    expect(itemLeftOut(seminar(1))).toBeUndefined();
    expect(itemLeftOut(article(3, { url: "https://missions example.org/x", version: 4 }))).toEqual({
      code: "item_left_out",
      itemId: "pub-3",
      version: 4,
      reason: expect.stringMatching(/has a URL that cannot be used/),
    });
    expect(itemLeftOut(seminar(4, { registrationUrl: "javascript:alert(1)" }))?.reason).toMatch(/registration URL/);
    // Whatever else a stored item lacks or gets wrong: a date that is not one, a missing text.
    expect(itemLeftOut(seminar(5, { startsAt: "not a date" }))?.itemId).toBe("sem-5");
    expect(itemLeftOut({ ...article(6), summary: undefined } as unknown as ContentItem)?.itemId).toBe("pub-6");
  });

  it("keeps a digest of 200 items under 102 KB, with a line for the items not listed", async () => {
    const many: ContentEmailSpec = {
      template: "digest",
      cadence: "weekly",
      period: "2026-W48",
      seminars: Array.from({ length: 100 }, (_, i) => seminar(i, { startsAt: `2026-12-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00+01:00`, endsAt: `2026-12-${String(1 + (i % 28)).padStart(2, "0")}T11:00:00+01:00` })),
      publications: Array.from({ length: 100 }, (_, i) => article(i)),
    };
    const sv = await compileContentEmail(many, "sv");
    expect(Buffer.byteLength(sv.html)).toBeLessThan(LIMIT);
    expect(Buffer.byteLength(personalise(sv, recipient).html)).toBeLessThan(LIMIT);
    expect(sv.html).toContain(`… och ${100 - DIGEST_SECTION_LIMIT} till på webbplatsen:`);
    expect(sv.text).toContain(`… och ${100 - DIGEST_SECTION_LIMIT} till på webbplatsen:`);
    expect(sv.html.match(/Frukostseminarium \d+/g)).toHaveLength(DIGEST_SECTION_LIMIT);

    // Every field at the schema's maximum length: fewer items are listed, and the digest still fits.
    const long = (n: number) => "Lång ".repeat(n).slice(0, n);
    const url = (i: number) => `https://missions.example.org/${"x".repeat(1900)}?id=${i}&a=1`;
    const huge: ContentEmailSpec = {
      template: "digest",
      cadence: "monthly",
      period: "2026-12",
      seminars: Array.from({ length: 100 }, (_, i) => seminar(i, { title: long(300), location: long(300), summary: long(2000), url: url(i), registrationUrl: url(i) })),
      publications: Array.from({ length: 100 }, (_, i) => article(i, { title: long(300), summary: long(2000), url: url(i) })),
    };
    const en = await compileContentEmail(huge, "en");
    expect(Buffer.byteLength(en.html)).toBeLessThan(LIMIT);
    expect(en.html).toMatch(/… and \d+ more on the website:/);
  });

  it("marks items in the other language, and only those", async () => {
    const spec: ContentEmailSpec = {
      template: "digest",
      cadence: "weekly",
      period: "2026-W48",
      seminars: [seminar(1, { language: "en", title: "Charging corridors" }), seminar(2)],
      publications: [article(1, { language: "en", title: "Food waste report" }), article(2)],
    };
    const sv = await compileContentEmail(spec, "sv");
    expect(sv.html.match(/\(på engelska\)/g)).toHaveLength(2);
    expect(sv.html).not.toContain("(på svenska)");
    expect(sv.text).toMatch(/Charging corridors \(på engelska\)/);
    expect(sv.html).toContain('lang="en"');
    const en = await compileContentEmail(spec, "en");
    expect(en.html.match(/\(in Swedish\)/g)).toHaveLength(2);
    expect(en.html).not.toContain("(in English)");
    expect(en.text).toMatch(/Frukostseminarium 2 om laddinfrastruktur \(in Swedish\)/);
    const alert = await compileContentEmail({ template: "seminar-alert", item: seminar(1, { language: "en" }) }, "sv");
    expect(alert.html).toContain("(på engelska)");
  });

  it("omits an empty section", async () => {
    const onlyPublications = await compileContentEmail({ template: "digest", cadence: "weekly", period: "2026-W48", seminars: [], publications: [article(1)] }, "sv");
    expect(onlyPublications.html).not.toContain("Kommande seminarier");
    expect(onlyPublications.text).not.toContain("Kommande seminarier");
    expect(onlyPublications.html).toContain("Nya publikationer och nyheter");
    const onlySeminars = await compileContentEmail({ template: "digest", cadence: "weekly", period: "2026-W48", seminars: [seminar(1)], publications: [] }, "en");
    expect(onlySeminars.html).toContain("Upcoming seminars");
    expect(onlySeminars.html).not.toContain("New publications");
    expect(onlySeminars.text).not.toContain("New publications");
    await expect(compileContentEmail({ template: "digest", cadence: "weekly", period: "2026-W48", seminars: [], publications: [] }, "sv")).rejects.toThrow(/at least one item/);
    await expect(compileContentEmail({ template: "digest", cadence: "weekly", period: "2026-12", seminars: [seminar(1)], publications: [] }, "sv")).rejects.toThrow(/2026-W48/);
  });

  it("lists seminars by date and publications newest first", async () => {
    const email = await compileContentEmail(
      {
        template: "digest",
        cadence: "weekly",
        period: "2026-W48",
        seminars: [seminar(2, { startsAt: "2026-12-10T09:00:00+01:00", endsAt: "2026-12-10T10:00:00+01:00" }), seminar(1)],
        publications: [article(1, { publishedAt: "2026-11-01T08:00:00+01:00" }), article(2, { publishedAt: "2026-11-20T08:00:00+01:00" })],
      },
      "sv",
    );
    expect(email.text.indexOf("Frukostseminarium 1")).toBeLessThan(email.text.indexOf("Frukostseminarium 2"));
    expect(email.text.indexOf("Rapport 2")).toBeLessThan(email.text.indexOf("Rapport 1"));
  });

  it("formats seminar times in Stockholm time, in winter and in summer", async () => {
    // Winter: CET, UTC+1.
    expect(formatSeminarTime("2026-12-03T08:00:00Z", "2026-12-03T10:00:00Z", "sv")).toBe("torsdag 3 december 2026 kl. 09.00–11.00");
    expect(formatSeminarTime("2026-12-03T08:00:00Z", "2026-12-03T10:00:00Z", "en")).toBe("Thursday 3 December 2026, 09:00–11:00");
    // Summer: CEST, UTC+2.
    expect(formatSeminarTime("2026-06-11T07:00:00Z", "2026-06-11T09:30:00Z", "sv")).toBe("torsdag 11 juni 2026 kl. 09.00–11.30");
    expect(formatSeminarTime("2026-06-11T07:00:00Z", "2026-06-11T09:30:00Z", "en")).toBe("Thursday 11 June 2026, 09:00–11:30");
    // Offsets other than Stockholm's are converted, and a seminar over several days names both.
    expect(formatSeminarTime("2026-10-24T20:00:00-04:00", "2026-10-25T12:00:00+01:00", "sv")).toBe("söndag 25 oktober 2026 kl. 02.00–12.00");
    expect(formatSeminarTime("2026-03-31T15:00:00+02:00", "2026-04-01T12:00:00+02:00", "en")).toBe("Tuesday 31 March 2026, 15:00 – Wednesday 1 April 2026, 12:00");

    const alert = await compileContentEmail({ template: "seminar-alert", item: seminar(1, { startsAt: "2026-06-11T09:00:00+02:00", endsAt: "2026-06-11T11:00:00+02:00" }) }, "sv");
    expect(alert.html).toContain("torsdag 11 juni 2026 kl. 09.00–11.00");
    expect(alert.text).toContain("torsdag 11 juni 2026 kl. 09.00–11.00");
  });

  it("shows a changed seminar's new time and place with what they were before", async () => {
    const before = seminar(1);
    const moved = { ...before, startsAt: "2026-12-04T13:00:00+01:00", endsAt: "2026-12-04T15:00:00+01:00", location: "Digitalt via videolänk" };
    const email = await compileContentEmail({ template: "seminar-changed", item: moved, previous: before }, "sv");
    expect(email.subject).toBe("Ändrat seminarium: Frukostseminarium 1 om laddinfrastruktur");
    expect(email.text).toContain("Seminariet har fått ny tid och plats.");
    expect(email.text).toContain("Tid: fredag 4 december 2026 kl. 13.00–15.00\n(Tidigare: torsdag 3 december 2026 kl. 09.00–11.00)");
    expect(email.text).toContain("Plats: Digitalt via videolänk\n(Tidigare: Konferensrum Ljuset, Exempelgatan 1, Stockholm)");
    expect(email.html).toContain("Tidigare: torsdag 3 december 2026 kl. 09.00–11.00");

    const onlyTime = await compileContentEmail({ template: "seminar-changed", item: { ...moved, location: before.location }, previous: before }, "en");
    expect(onlyTime.text).toContain("The seminar has a new time.");
    expect(onlyTime.text).toContain("(Previously: Thursday 3 December 2026, 09:00–11:00)");
    expect(onlyTime.text).not.toContain("(Previously: Konferensrum");
  });

  it("does not load MJML until an email is compiled", () => {
    const script = [
      'import { createRequire } from "node:module";',
      'await import("./packages/core/src/emails/compile-content.ts");',
      "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /[\\\\/]node_modules[\\\\/]mjml/.test(p));",
      "process.stdout.write(String(loaded.length));",
    ].join("\n");
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd(), encoding: "utf8" });
    expect(out).toBe("0");
  });
});
