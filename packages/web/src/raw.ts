import { raw } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * The pages' only unescaped output. Everything else goes through `hono/jsx`, which escapes every
 * text and attribute, so markup cannot be injected by a mission name, a content title or a form value.
 * What is here is reviewed by hand; keep it short. Its one sibling is raw-markdown.ts (the statement
 * pages' markdown), kept apart so that only those pages load the markdown parser.
 */

/**
 * JSON for a `<script type="application/json">` data block (the staff console's settings and words).
 * Entity escaping would corrupt JSON, so instead nothing in it may close the element: `<`, `>` and
 * `&` are written as JSON's own `\u` escapes, which `JSON.parse` reads back unchanged.
 */
export function jsonData(value: unknown): HtmlEscapedString {
  return raw(JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026"));
}

/** A whole page as HTML text, with its doctype. Pages render synchronously; an async component is a mistake. */
export function renderDocument(page: JSX.Element): string {
  const html = page.toString();
  if (typeof html !== "string") throw new Error("A page rendered asynchronously; page components must be synchronous.");
  return `<!doctype html>\n${html}`;
}

/** A fragment (not a whole page) as HTML text, e.g. the HTML inside an Atom entry. */
export function renderFragment(node: JSX.Element): string {
  const html = node.toString();
  if (typeof html !== "string") throw new Error("A fragment rendered asynchronously; components must be synchronous.");
  return html;
}

