import { Marked } from "marked";
import { escapeHtml } from "./core";

/**
 * Staff-edited page texts (the accessibility statement, the privacy notice) as HTML. They are
 * trusted to say what they say, not to carry markup: raw HTML in them is shown as text, links keep
 * only https, http, mailto, site paths (`/…`) and the page's own sections (`#…`), images become their description, and headings get
 * ids so a section can be linked to. Headings are shifted so the text's `#` is the page's one h1.
 */

const SAFE_LINK = /^(https?:\/\/[^\s]+|mailto:[^\s]+|\/(?!\/)[^\s]*|#[a-z0-9-]+)$/i;

/** A heading's id: its words, lower case, joined by dashes (å, ä, ö kept as a, a, o). */
export function headingId(text: string): string {
  return (
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/&[a-z#0-9]+;/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "section"
  );
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_LINK.test(href)) return label;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ""}>${label}</a>`;
    },
    image({ text }) {
      return escapeHtml(text);
    },
    heading({ tokens, depth }) {
      const inner = this.parser.parseInline(tokens);
      const level = Math.min(depth, 6);
      return `<h${level} id="${headingId(inner)}">${inner}</h${level}>\n`;
    },
    table(token) {
      // Column headers with their scope; the cells wrap, so the table fits a phone without scrolling sideways.
      const head = token.header.map((cell) => `<th scope="col">${this.parser.parseInline(cell.tokens)}</th>`).join("");
      const rows = token.rows.map((row) => `<tr>${row.map((cell) => `<td>${this.parser.parseInline(cell.tokens)}</td>`).join("")}</tr>`).join("\n");
      return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>\n`;
    },
  },
});

/** `{name}` placeholders the texts may use, filled with (escaped) values; unknown ones stay as written. */
function fillPlaceholders(markdown: string, values: Record<string, string>): string {
  return markdown.replace(/\{(\w+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : values[key]!));
}

/** A page text's markdown as safe HTML, with `{name}` placeholders filled from `values` first. */
export function renderPageMarkdown(markdown: string, values: Record<string, string> = {}): string {
  // Values go in as markdown text, so a value cannot add markup either: the renderer escapes them like the rest.
  const safeValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(/[\\`*_[\]<>{}|#]/g, (c) => `\\${c}`)]));
  return marked.parse(fillPlaceholders(markdown, safeValues)) as string;
}
