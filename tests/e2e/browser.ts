import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import axe, { type Result } from "axe-core";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/**
 * The browser-test kit: the system's Chromium driven by playwright-core (Playwright's own browser
 * download is not used), axe-core for WCAG 2.1 AA, and screenshots to look at (SCREENSHOTS=1).
 */

/** The Chromium to drive: Debian's package by default, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether the tests save screenshots: only with SCREENSHOTS=1. A full-page picture costs about as much
 * as a third of an axe run and asserts nothing, so `npm test` takes none; `SCREENSHOTS=1 npx vitest
 * run tests/e2e` writes every state the tests pass through to test-results/screenshots/.
 */
export const SCREENSHOTS_ON = process.env.SCREENSHOTS === "1";


/**
 * Flags for a quiet, reproducible headless run. Playwright adds `--headless` and gives every launch
 * a fresh temporary profile (its own `--user-data-dir`), so no state leaks between runs.
 */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** The WCAG levels the pages must meet: 2.0 and 2.1, A and AA. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

/** Launches the system's Chromium; without one, says how to install it (the tests need it, as CI does). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  await browser?.close();
}

/**
 * A fresh context (its own cookies): desktop-sized unless told otherwise, JavaScript on unless
 * `javaScript: false`, which is how the no-JavaScript path of every page is tested.
 */
export async function newContext(browser: Browser, options: { baseURL: string; javaScript?: boolean; viewport?: keyof typeof VIEWPORTS }): Promise<BrowserContext> {
  const viewport = VIEWPORTS[options.viewport ?? "desktop"];
  const context = await browser.newContext({ baseURL: options.baseURL, javaScriptEnabled: options.javaScript ?? true, viewport });
  if (options.javaScript === false) withoutScript.set(context, { browser, viewport });
  return context;
}

/** Contexts without JavaScript, where axe (itself a script) cannot run. */
const withoutScript = new WeakMap<BrowserContext, { browser: Browser; viewport: { width: number; height: number } }>();

/**
 * The page to run axe on: the page itself, or for a page without JavaScript, the same document at
 * the same address and size in a scratch page that may run axe. The page's own scripts are not loaded
 * there: the copy stays the page as it was without JavaScript, and does nothing the page would not
 * (the confirmation page's script would confirm).
 */
async function auditable(page: Page): Promise<{ page: Page; done(): Promise<void> }> {
  const noScript = withoutScript.get(page.context());
  if (!noScript) return { page, done: async () => undefined };
  const html = await page.content();
  const context = await noScript.browser.newContext({ viewport: noScript.viewport });
  const copy = await context.newPage();
  await copy.route(/\/assets\/[^/?#]+\.js(\?.*)?$/, (route) => route.abort());
  await copy.route(page.url(), (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  await copy.goto(page.url());
  return { page: copy, done: () => context.close() };
}

/** A rule violation as one readable block: rule, impact, what to do, and each failing element. */
function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    at ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`).join("\n");
      return `  ${v.id} (${v.impact ?? "unknown impact"}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join("\n");
}

/** How long one axe run may take before the check fails, rather than waiting for the test's own timeout. */
const AXE_TIMEOUT_MS = 60_000;

/** `promise`, or an error saying `what` once `ms` have passed. */
function withinTime<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** What the page's own script sees of axe-core once its source has run there. */
interface AxeInPage {
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: Result[] }> };
  document: { querySelectorAll(selector: string): ArrayLike<{ closest(selector: string): unknown }> };
}

/**
 * Runs axe-core with the WCAG 2.1 AA rules on the page as it is now; throws, listing every violation,
 * unless there are none. `exclude` names elements axe leaves out with all they contain: the staff
 * console's email previews are sandboxed frames where no script runs (their titles are checked by
 * the test itself).
 *
 * axe-core runs in the page itself, once per check, with `axe.run`: its source is put into a
 * document once and reused by later checks of the same document. Frames are not entered: a page whose
 * frames are not all excluded is refused, so that nothing inside a frame goes unchecked unnoticed.
 * Only violations are collected (axe's `resultTypes`), which spares it listing every node that passed.
 */
export async function checkA11y(page: Page, name: string, options: { exclude?: string[] } = {}): Promise<void> {
  const target = await auditable(page);
  const exclude = options.exclude ?? [];
  let violations: Result[];
  try {
    // The source goes in as the evaluated script itself, as the page's CSP would refuse an eval() in it.
    if (!(await target.page.evaluate("typeof window.axe !== 'undefined'"))) await target.page.evaluate(axe.source);
    violations = await withinTime(AXE_TIMEOUT_MS, `axe did not finish within ${AXE_TIMEOUT_MS / 1000} s`, target.page.evaluate(
      async ({ exclude, tags }) => {
        const g = globalThis as unknown as AxeInPage;
        const frames = Array.from(g.document.querySelectorAll("iframe, frame")).filter((f) => !exclude.some((selector) => f.closest(selector)));
        if (frames.length) throw new Error(`${frames.length} frame(s) outside the excluded elements: exclude them and check their documents on their own`);
        const context = exclude.length ? { exclude: exclude.map((selector) => [selector]) } : g.document;
        return (await g.axe!.run(context, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"], iframes: false })).violations;
      },
      { exclude, tags: WCAG_TAGS },
    ));
  } catch (e) {
    throw new Error(`${name}: axe could not check ${page.url()}: ${(e as Error).message}`);
  } finally {
    await target.done();
  }
  if (violations.length) {
    throw new Error(`${name}: ${violations.length} accessibility violation(s) on ${page.url()}\n${describeViolations(violations)}`);
  }
}

/** With SCREENSHOTS=1, saves a full-page PNG as test-results/screenshots/<name>.png and answers its path; otherwise does nothing and answers undefined. */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  if (!SCREENSHOTS_ON) return undefined;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name.replace(/[^A-Za-z0-9_.-]+/g, "-")}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

interface FocusableElement {
  tagName: string;
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
interface BrowserGlobals {
  document: { activeElement: FocusableElement | null; body: FocusableElement };
  getComputedStyle(el: FocusableElement): { outlineStyle: string; outlineWidth: string; boxShadow: string };
}

/** What has focus now, and whether it shows it: an outline or a focus ring (box shadow) must be drawn. */
export function focused(page: Page): Promise<{ tag: string; id: string; text: string; name: string; visible: boolean }> {
  return page.evaluate(() => {
    // Runs in the page; the project compiles without the DOM library, so its globals are typed here.
    const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: "body", id: "", text: "", name: "", visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== "none" && style.boxShadow !== "";
    return { tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent ?? "").trim(), name: el.getAttribute("name") ?? "", visible: outline || ring };
  });
}

/**
 * Presses Tab until the focused element matches, at most `max` times, and answers it. Throws with
 * the path taken if it never gets there: the element is not reachable by keyboard.
 */
export async function tabTo(page: Page, matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60): Promise<Awaited<ReturnType<typeof focused>>> {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (matches(f)) return f;
    path.push(f.id ? `${f.tag}#${f.id}` : `${f.tag}(${f.text.slice(0, 30)})`);
  }
  throw new Error(`Not reached by keyboard within ${max} tabs; focus went through: ${path.join(" → ")}`);
}
