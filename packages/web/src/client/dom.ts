/** Small typed helpers for the browser code: finding elements, building them as text, moving focus. */

/** The element with an id; a missing one is a mismatch between page and script, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`No element #${id}`);
  return el as T;
}

type Attributes = Record<string, string | number | boolean | null | undefined> & { text?: string; className?: string };

/**
 * Builds an element. `text` becomes its text content and every other value an attribute: data
 * from the API goes into the page as text, never as markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attributes = {}, children: (Node | string | null | undefined)[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "className") node.className = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Moves focus to an element, making it focusable by script first if it is not by nature. */
export function focusOn(el: Element | null | undefined): void {
  if (!(el instanceof HTMLElement)) return;
  if (!el.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) el.setAttribute("tabindex", "-1");
  el.focus();
}

/** Fills `{name}` placeholders, as the server's copy does. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : String(values[key])));
}

/** A text with its runs of white space made single spaces, for announcing. */
export const spoken = (el: Element) => (el.textContent ?? "").replace(/\s+/g, " ").trim();
