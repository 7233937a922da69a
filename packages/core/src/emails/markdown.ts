import { Marked, type Token, type Tokens } from "marked";
import { escapeHtml } from "../shared/escape";

/** An announcement body as email HTML and as plain text, both safe to put into a compiled variant. */
export interface RenderedMarkdown {
  html: string;
  text: string;
}

/** Links staff may write: web pages and email addresses. Anything else (javascript:, data:, relative) stays text. */
const SAFE_LINK = /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i;

/** Braces become character references in HTML and are kept apart in text, so SES never sees `{{` from staff text. */
const htmlBraces = (s: string) => s.replace(/\{/g, "&#123;").replace(/\}/g, "&#125;");
const textBraces = (s: string) => s.replace(/\{/g, "{\u200b").replace(/\}/g, "\u200b}");
/** A link target with its braces percent-encoded, as a browser would, so it works in both parts. */
const safeHref = (href: string) => href.replace(/\{/g, "%7B").replace(/\}/g, "%7D");

const HEADING_SIZE: Record<number, string> = { 1: "22px", 2: "20px", 3: "18px" };

/**
 * The HTML renderer: raw HTML in the markdown is shown as text, not passed through; links keep only
 * http(s) and mailto targets; images become their description (an announcement carries no remote
 * images, which mail clients block anyway); headings and rules get inline styles, as email wants.
 */
const htmlMarked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_LINK.test(href)) return label;
      return `<a href="${escapeHtml(safeHref(href))}" style="color:#0b5394;">${label}</a>`;
    },
    image({ text }) {
      return escapeHtml(text);
    },
    heading({ tokens, depth }) {
      const size = HEADING_SIZE[depth] ?? "16px";
      return `<p style="font-size:${size};font-weight:bold;line-height:1.3;margin:20px 0 8px;">${this.parser.parseInline(tokens)}</p>\n`;
    },
    hr() {
      return '<hr style="border:none;border-top:1px solid #dddddd;margin:16px 0;" />\n';
    },
    br() {
      return "<br />";
    },
    checkbox({ checked }) {
      return checked ? "☑ " : "☐ ";
    },
  },
});

const lexer = new Marked({ gfm: true, breaks: true, async: false });

/** Plain text of inline tokens: emphasis dropped, links as `label (url)`, raw HTML kept as the text it is. */
function inlineText(tokens: Token[] | undefined): string {
  let out = "";
  for (const t of tokens ?? []) {
    switch (t.type) {
      case "link": {
        const link = t as Tokens.Link;
        const label = inlineText(link.tokens);
        const href = link.href.replace(/^mailto:/i, "");
        out += !SAFE_LINK.test(link.href) || label === href || label === link.href ? label : `${label} (${safeHref(href)})`;
        break;
      }
      case "br":
        out += "\n";
        break;
      case "image":
        out += (t as Tokens.Image).text;
        break;
      case "codespan":
        out += decodeEntities((t as Tokens.Codespan).text);
        break;
      case "html":
        out += (t as Tokens.HTML).raw;
        break;
      default:
        out += "tokens" in t && Array.isArray(t.tokens) ? inlineText(t.tokens) : decodeEntities("text" in t ? String(t.text) : t.raw);
    }
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);
}

/** Plain text of block tokens, one blank line between blocks. */
function blockText(tokens: Token[], indent = ""): string[] {
  const blocks: string[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case "space":
      case "def":
        break;
      case "heading": {
        const text = inlineText((t as Tokens.Heading).tokens);
        blocks.push((t as Tokens.Heading).depth <= 2 ? `${text}\n${"-".repeat(Math.min(60, [...text].length))}` : text);
        break;
      }
      case "paragraph":
      case "text":
        blocks.push(inlineText("tokens" in t && t.tokens ? t.tokens : [t]));
        break;
      case "list": {
        const list = t as Tokens.List;
        const items = list.items.map((item, i) => {
          const marker = list.ordered ? `${Number(list.start || 1) + i}. ` : "- ";
          const inner = blockText(item.tokens, " ".repeat(marker.length)).join("\n");
          return `${marker}${inner.replace(/^\s+/, "")}`;
        });
        blocks.push(items.join("\n"));
        break;
      }
      case "blockquote":
        blocks.push(blockText((t as Tokens.Blockquote).tokens).join("\n\n").replace(/^/gm, "> "));
        break;
      case "code":
        blocks.push((t as Tokens.Code).text);
        break;
      case "hr":
        blocks.push("----");
        break;
      case "table": {
        const table = t as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((c) => inlineText(c.tokens)).join(" | ");
        blocks.push([row(table.header), ...table.rows.map(row)].join("\n"));
        break;
      }
      case "html":
        blocks.push((t as Tokens.HTML).raw.trim());
        break;
      default:
        blocks.push(t.raw.trim());
    }
  }
  return blocks.map((b) => b.replace(/\n/g, `\n${indent}`));
}

/**
 * Renders an announcement body from markdown, once per variant: HTML for the email (with raw HTML
 * escaped, only http(s) and mailto links, inline styles) and the plain-text twin. Braces are
 * neutralised in both, as for every CMS or staff text that goes into a compiled variant.
 */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const html = htmlMarked.parse(markdown, { async: false }) as string;
  const text = blockText(lexer.lexer(markdown)).join("\n\n").trim();
  return { html: htmlBraces(html.trim()), text: textBraces(text) };
}
