import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { renderPageMarkdown } from "./page-markdown";

/**
 * A staff-edited page text (templates/pages) as markup: page-markdown.ts shows raw HTML in it as
 * text, keeps only safe links and escapes the `values` filled into its placeholders. Unescaped output
 * like raw.ts's, reviewed the same way; apart from it so that every other page loads without the
 * markdown parser.
 */
export function markdownHtml(markdown: string, values: Record<string, string> = {}): HtmlEscapedString {
  return raw(renderPageMarkdown(markdown, values));
}
