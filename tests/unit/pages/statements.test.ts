import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig, siteConfig } from "../../../packages/core/src/platform/config";
import { ASSET_MODULES, pageTextsModule } from "../../../packages/web/src/assets/build-assets";
import { PAGE_TEXTS } from "../../../packages/web/src/assets/page-texts";
import { confirmedPage } from "../../../packages/web/src/confirm-page";
import { cookieSettingsPage } from "../../../packages/web/src/cookie-settings-page";
import { withSite } from "../../../packages/web/src/layout";
import { renderPageMarkdown } from "../../../packages/web/src/page-markdown";
import { STATEMENT_PATHS, statementPage, statementTitle } from "../../../packages/web/src/statement-pages";
import { siteEnvironment } from "../../../stacks/site";

/**
 * The statements staff edit as markdown (templates/pages), the renderer that makes them pages, and
 * the agency identity every page's header carries: all without HTTP.
 */

const XSS = `<script>alert("x")</script>`;

describe("the statements' texts", () => {
  it("are what templates/pages holds (run `npm run assets` after editing them)", () => {
    expect(readFileSync(ASSET_MODULES.pageTexts, "utf8")).toBe(pageTextsModule());
  });

  it("each start with one title and use only the {agency} placeholder", () => {
    for (const [kind, texts] of Object.entries(PAGE_TEXTS)) {
      for (const [language, markdown] of Object.entries(texts)) {
        expect(statementTitle(markdown), `${kind}.${language}`).not.toBe("");
        expect(markdown.match(/^# /gm), `${kind}.${language}: one h1`).toHaveLength(1);
        expect([...markdown.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((k) => k !== "agency"), `${kind}.${language}`).toEqual([]);
      }
    }
  });
});

describe("the page markdown renderer", () => {
  it("shows raw HTML as text and keeps only https, http, mailto, site and section links", () => {
    const html = renderPageMarkdown(`# T\n\n${XSS} <img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](data:text/html,x) [c](//evil.example) [d](https://ok.example/x) [e](mailto:a@example.org) [f](/cookies?lang=en) [g](#known-gaps) ![pic](https://img.example/p.png)`);
    expect(html).not.toMatch(/<script|<img|href="(javascript|data|\/\/)/);
    expect(html).toContain("a b c ");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<a href="https://ok.example/x">d</a>');
    expect(html).toContain('<a href="mailto:a@example.org">e</a>');
    expect(html).toContain('<a href="/cookies?lang=en">f</a>');
    expect(html).toContain('<a href="#known-gaps">g</a>');
    expect(html).toContain("pic");
  });

  it("gives headings ids to link to, and tables column headers", () => {
    const html = renderPageMarkdown("## Innehåll som inte är tillgängligt\n\n| Uppgift | Hur länge |\n|---|---|\n| Adress | 30 dagar |");
    expect(html).toContain('<h2 id="innehall-som-inte-ar-tillgangligt">Innehåll som inte är tillgängligt</h2>');
    expect(html).toContain('<th scope="col">Uppgift</th>');
    expect(html).toContain("<td>30 dagar</td>");
  });

  it("fills placeholders with values that cannot add markup or markdown", () => {
    const html = renderPageMarkdown("# {agency}\n\n{agency} står bakom {unknown}.", { agency: `*Verket* ${XSS} [x](javascript:1)` });
    expect(html).not.toMatch(/<script|<em>|<a /);
    expect(html).toContain("*Verket* &lt;script&gt;");
    expect(html).toContain("{unknown}");
  });

  it("links the accessibility statement's section anchors to headings that exist", () => {
    for (const language of ["sv", "en"] as const) {
      const html = statementPage("accessibility", language);
      const anchors = [...html.matchAll(/href="#([a-z0-9-]+)"/g)].map((m) => m[1]!).filter((id) => id !== "main");
      expect(anchors.length, language).toBeGreaterThan(0);
      for (const id of anchors) expect(html, `${language}: #${id}`).toContain(`id="${id}"`);
    }
  });
});

describe("the agency identity", () => {
  it("defaults to a neutral name; AGENCY_NAME names it in both languages unless AGENCY_NAME_EN is set", () => {
    expect(siteConfig({})).toEqual({ agencyName: { sv: "Myndigheten", en: "The agency" } });
    expect(siteConfig({ AGENCY_NAME: "Exempelverket" })).toEqual({ agencyName: { sv: "Exempelverket", en: "Exempelverket" } });
    expect(siteConfig({ AGENCY_NAME: "Exempelverket", AGENCY_NAME_EN: "Example Agency", AGENCY_LOGO_URL: "/logo.svg" })).toEqual({
      agencyName: { sv: "Exempelverket", en: "Example Agency" },
      logoUrl: "/logo.svg",
    });
    expect(siteConfig({ AGENCY_LOGO_URL: "https://cdn.example.org/logo.svg" }).logoUrl).toBe("https://cdn.example.org/logo.svg");
    for (const bad of ["javascript:alert(1)", "http://cdn.example.org/logo.svg", "//cdn.example.org/logo.svg", "logo.svg"]) {
      expect(() => siteConfig({ AGENCY_LOGO_URL: bad }), bad).toThrow(/AGENCY_LOGO_URL/);
    }
    expect(() => siteConfig({ AGENCY_NAME: " " })).toThrow(/AGENCY_NAME/);
  });

  it("is checked at deploy: the stack passes on only the settings that are set, and refuses a bad one", () => {
    expect(siteEnvironment({ AGENCY_NAME: "Exempelverket", OTHER: "x" })).toEqual({ AGENCY_NAME: "Exempelverket" });
    expect(siteEnvironment({})).toEqual({});
    expect(() => siteEnvironment({ AGENCY_LOGO_URL: "javascript:alert(1)" })).toThrow(/AGENCY_LOGO_URL/);
  });

  it("is in every page's header, escaped, with the logo as decoration beside the name, and the footer links both statements", async () => {
    const site = { agencyName: { sv: `Verket ${XSS}`, en: "The Agency" }, logoUrl: "/logo.svg" };
    const [sv, en] = await withSite(
      () => site,
      async () => [cookieSettingsPage("sv", "/missions", undefined), confirmedPage("en")],
    );
    const header = /<header[\s\S]*?<\/header>/.exec(sv!)![0];
    expect(header).toContain("Verket &lt;script&gt;");
    expect(header).toContain('<img class="agency-logo" src="/logo.svg" alt=""');
    expect(/<header[\s\S]*?<\/header>/.exec(en!)![0]).toContain("The Agency");
    expect(sv).not.toContain(XSS);
    expect(/<footer[\s\S]*?<\/footer>/.exec(sv!)![0]).toMatch(/href="\/tillganglighet"[\s\S]*href="\/personuppgifter"/);
    expect(/<footer[\s\S]*?<\/footer>/.exec(en!)![0]).toMatch(/href="\/en\/accessibility"[\s\S]*href="\/en\/privacy"/);
    // Outside a request: the neutral default, never another agency's name.
    expect(/<header[\s\S]*?<\/header>/.exec(confirmedPage("sv"))![0]).toContain("Myndigheten");
  });

  it("is read only from the configuration's AGENCY_* settings", () => {
    const base = { TABLE_NAME: "t", PUBLIC_URL: "https://x.example", MAIL_FROM: "a@x.example", UNSUBSCRIBE_MAILTO: "u@x.example", TOKEN_KEYS: "k".repeat(16), ADDRESS_PEPPER: "p".repeat(16), IP_SALT: "s".repeat(16) };
    expect(parseConfig({ ...base, AGENCY_NAME: "Exempelverket" }).AGENCY_NAME).toBe("Exempelverket");
    expect(Object.values(STATEMENT_PATHS).flatMap((p) => Object.values(p))).toEqual(["/tillganglighet", "/en/accessibility", "/personuppgifter", "/en/privacy"]);
  });
});
