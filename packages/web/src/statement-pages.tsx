/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { PAGE_TEXTS } from "./assets/page-texts";
import type { Language } from "./core";
import { layout } from "./layout";
import type { PageTextKind } from "./page-text-kinds";
import { markdownHtml } from "./raw-markdown";
import { currentSite } from "./site";

/** Where each statement is published: a Swedish path, and an English one under /en/. */
export const STATEMENT_PATHS: Record<PageTextKind, Record<Language, string>> = {
  accessibility: { sv: "/tillganglighet", en: "/en/accessibility" },
  privacy: { sv: "/personuppgifter", en: "/en/privacy" },
};

const OTHER: Record<Language, Language> = { sv: "en", en: "sv" };

/** A statement's title: its markdown's first `# ` heading. */
export function statementTitle(markdown: string): string {
  const line = markdown.split("\n").find((l) => /^#\s+\S/.test(l));
  return line ? line.replace(/^#\s+/, "").replace(/[*_`]/g, "").trim() : "";
}

/**
 * `GET /tillganglighet`, `/personuppgifter` and their English pages: a statement as staff wrote it in
 * templates/pages, with `{agency}` filled in with the agency's name.
 */
export function statementPage(kind: PageTextKind, language: Language): string {
  const markdown = PAGE_TEXTS[kind][language];
  const other = OTHER[language];
  return layout(language, statementTitle(markdown), <div class="statement">{markdownHtml(markdown, { agency: currentSite().agencyName[language] })}</div>, {
    alternate: STATEMENT_PATHS[kind][other],
    section: kind,
  });
}
