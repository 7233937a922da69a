import { describe, expect, it } from "vitest";
import { AnnouncementInput } from "../../packages/core/src/announcements/schema";
import { renderMarkdown } from "../../packages/core/src/emails/markdown";
import { compileContentEmail } from "../../packages/core/src/emails/compile-content";
import { personalise } from "../../packages/core/src/emails/render";

const links = { siteUrl: "https://missions.example.org", preferencesUrl: "https://missions.example.org/preferences?token=t", unsubscribeUrl: "https://missions.example.org/unsubscribe?token=t&c=x" };

describe("announcement markdown", () => {
  it("escapes raw HTML instead of passing it through", () => {
    const { html, text } = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror="y">\n\n<div onclick="z">block</div>');
    expect(html).not.toMatch(/<script|<img|<div/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(text).toContain("<script>alert(1)</script>");
  });

  it("keeps only http(s) and mailto links; other targets stay text", () => {
    const { html, text } = renderMarkdown("[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) [d](https://example.org/x?a=1&b=2) [e](mailto:team@example.org) <https://example.org/auto>");
    expect(html).not.toMatch(/javascript:|data:|href="\/relative"/);
    expect(html).toContain('<a href="https://example.org/x?a=1&amp;b=2"');
    expect(html).toContain('href="mailto:team@example.org"');
    expect(html).toContain('href="https://example.org/auto"');
    expect(text).toContain("d (https://example.org/x?a=1&b=2)");
    expect(text).toContain("e (team@example.org)");
  });

  it("neutralises braces, so SES's substitution never sees {{ from staff text", () => {
    const { html, text } = renderMarkdown("Use {{unsubscribeUrl}} and [x](https://example.org/{{a}})");
    expect(html).not.toMatch(/[{}]/);
    expect(text).not.toMatch(/\{\{|\}\}/);
  });

  it("renders lists, emphasis and headings with a plain-text twin", () => {
    const { html, text } = renderMarkdown("## Programme\n\n- **Opening** at 09:00\n- _Panel_\n\n1. one\n2. two");
    expect(html).toContain("<strong>Opening</strong>");
    expect(html).toContain("<li>");
    expect(text).toBe("Programme\n---------\n\n- Opening at 09:00\n- Panel\n\n1. one\n2. two");
  });
});

describe("announcement input", () => {
  const valid = { title: { sv: "Lansering" }, body: { sv: "Text" }, missions: ["food-system"] };

  it("needs a title and body in at least one language, and a button label in each", () => {
    expect(AnnouncementInput.safeParse(valid).success).toBe(true);
    const fields = (body: unknown) => {
      const r = AnnouncementInput.safeParse(body);
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(fields({ ...valid, title: {}, body: {} })).toContain("title");
    expect(fields({ ...valid, body: { sv: "x", en: "y" } })).toContain("title.en");
    expect(fields({ ...valid, cta: { label: { en: "Go" }, url: "https://example.org" } })).toContain("cta.label.sv");
    expect(fields({ ...valid, cta: { label: { sv: "Gå" }, url: "http://example.org" } })).toContain("cta.url");
    expect(fields({ ...valid, missions: [] })).toContain("missions");
    expect(fields({ ...valid, title: { sv: "Två\nrader" } })).toContain("title.sv");
    expect(fields({ ...valid, event: { date: "2026-02-30" } })).toContain("event.date");
    expect(fields({ ...valid, event: { date: "2027-03-28", time: "02:30" } })).toContain("event.time");
    expect(fields({ ...valid, extra: 1 })).toEqual([""]);
  });
});

describe("the announcement email", () => {
  const content = {
    title: { sv: "Var med när Missions Playbook lanseras", en: "Join the launch of the Missions Playbook" },
    body: { sv: "Välkommen till **lanseringen**.", en: "Welcome to **the launch** {{x}}." },
    missions: ["food-system"],
    event: { date: "2026-12-01", time: "09:00", place: "Stockholm" },
    cta: { label: { sv: "Anmäl dig", en: "Register" }, url: "https://missions.example.org/register" },
  };

  it.each(["sv", "en"] as const)("in %s: lang on the html, a text part, HTML under 102 KB, event and button, recipient placeholders only", async (lang) => {
    const variant = await compileContentEmail({ template: "announcement", content, contentLanguage: lang, missionNames: ["Food"] }, lang);
    const email = personalise(variant, links);
    expect(email.html).toContain(`<html lang="${lang}"`);
    expect(Buffer.byteLength(email.html)).toBeLessThan(102 * 1024);
    expect(email.subject).toBe(content.title[lang]);
    expect(email.text).toContain(content.title[lang]);
    expect(email.text).toContain(lang === "sv" ? "tisdag 1 december 2026 kl. 09.00" : "Tuesday 1 December 2026, 09:00");
    expect(email.html).toContain('href="https://missions.example.org/register"');
    expect(email.text).toContain(links.unsubscribeUrl);
    expect(email.html).not.toMatch(/only available|finns bara/);
  });

  it("falls back to the other language with a note in the reader's own, and marks the content's language", async () => {
    const en = { ...content, title: { en: content.title.en }, body: { en: content.body.en }, cta: { label: { en: "Register" }, url: content.cta.url } };
    const email = personalise(await compileContentEmail({ template: "announcement", content: en, contentLanguage: "en", missionNames: ["Matsystemet"] }, "sv"), links);
    expect(email.html).toContain('<html lang="sv"');
    expect(email.html).toContain("Det här utskicket finns bara på engelska.");
    expect(email.html).toMatch(/<div lang="en"><p>Welcome to <strong>the launch<\/strong> &#123;&#123;x&#125;&#125;/);
    expect(email.text).toContain("Det här utskicket finns bara på engelska.");
    expect(email.text).toContain("Tid: tisdag 1 december 2026 kl. 09.00");
    const sv = { ...content, title: { sv: content.title.sv }, body: { sv: content.body.sv }, cta: { label: { sv: "Anmäl dig" }, url: content.cta.url } };
    const english = personalise(await compileContentEmail({ template: "announcement", content: sv, contentLanguage: "sv", missionNames: ["Food"] }, "en"), links);
    expect(english.html).toContain("This announcement is only available in Swedish.");
  });

  it("marks a test send in the subject and with a banner", async () => {
    const email = await compileContentEmail({ template: "announcement", content, contentLanguage: "en", missionNames: ["Food"], test: true }, "en");
    expect(email.subject).toBe("[TEST] Join the launch of the Missions Playbook");
    expect(email.html).toContain("TEST – this is a test send.");
    expect(email.text.startsWith("TEST – this is a test send.")).toBe(true);
  });

  it("escapes staff text in the title, place and button", async () => {
    const hostile = { ...content, title: { en: '<b>"x"</b> {{y}}' }, body: { en: "b" }, event: { date: "2026-12-01", place: "<i>Hall</i>" }, cta: { label: { en: "<Go>" }, url: "https://example.org/{z}" } };
    const email = await compileContentEmail({ template: "announcement", content: hostile, contentLanguage: "en", missionNames: ["<M>"] }, "en");
    expect(email.html).not.toMatch(/<b>"x"|<i>Hall|<Go>|<M>/);
    expect(email.html).toContain("&lt;b&gt;&quot;x&quot;&lt;/b&gt; &#123;&#123;y&#125;&#125;");
    expect(email.html).toContain('href="https://example.org/%7Bz%7D"');
    expect(email.subject).not.toMatch(/\{\{/);
  });
});
