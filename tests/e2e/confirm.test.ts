import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { linkToken, signUp, startHarness, type Harness } from "../integration/harness";
import { checkA11y, closeBrowser, launchBrowser, newContext, screenshot } from "./browser";

/**
 * One-step confirmation in a real browser. The confirmation link's page confirms by itself only once
 * a person has it in view (a link scanner that fetches it, or a page opened in a background tab,
 * confirms no one), shows the outcome in place and announces it; without JavaScript its button does
 * the same as a plain form post. Whether the subscriber is active is read from the table.
 */

let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_IP: "1000" });
  browser = await launchBrowser();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(async () => {
  await closeBrowser(browser);
  await h?.stop();
});

/** Signs up (API) and answers the address and the path of the confirmation email's link. */
async function pendingSignUp(language: "sv" | "en"): Promise<{ email: string; link: string }> {
  const body = signUp({ language });
  expect((await h.request("POST", "/api/subscriptions", { json: body })).status).toBe(202);
  await h.drain();
  const mail = (await h.mailTo(body.email)).at(-1)!;
  return { email: body.email, link: `/confirm?token=${linkToken(mail, "/confirm")}&lang=${language}` };
}

const statusOf = async (email: string) => (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === email)?.status;

async function contextFor(javaScript: boolean): Promise<BrowserContext> {
  const context = await newContext(browser, { baseURL: h.cloud.urls.site, javaScript });
  contexts.push(context);
  return context;
}

/**
 * A page that reports itself hidden (a background tab) until `show` is called, which makes it visible
 * and fires `visibilitychange`, as a browser does when the person switches to the tab.
 */
async function hiddenPage(context: BrowserContext): Promise<{ page: Page; show(): Promise<void> }> {
  await context.addInitScript(() => {
    const w = globalThis as unknown as { __visible: boolean; Document: { prototype: object } };
    w.__visible = false;
    Object.defineProperty(w.Document.prototype, "visibilityState", { configurable: true, get: () => (w.__visible ? "visible" : "hidden") });
  });
  const page = await context.newPage();
  const show = () =>
    page.evaluate(() => {
      const w = globalThis as unknown as { __visible: boolean; document: { dispatchEvent(e: Event): void } };
      w.__visible = true;
      w.document.dispatchEvent(new Event("visibilitychange"));
    });
  return { page, show };
}

describe("the confirmation link's page", () => {
  it("with JavaScript: confirms once the page is in view, not before, and shows and announces the result in place", async () => {
    const { email, link } = await pendingSignUp("sv");
    const { page, show } = await hiddenPage(await contextFor(true));
    await page.goto(link);
    // Hidden (a background tab, or a scanner's headless fetch that reports itself so): nothing happens.
    await page.waitForTimeout(750);
    expect(await statusOf(email)).toBe("pending");
    expect(await page.getByRole("button", { name: "Bekräfta prenumerationen" }).isVisible()).toBe(true);

    await show();
    await page.getByRole("heading", { level: 1, name: "Prenumerationen är bekräftad" }).waitFor();
    expect(await statusOf(email)).toBe("active");
    const result = page.locator("[data-confirm-result]");
    expect(await result.getAttribute("aria-live")).toBe("polite");
    expect(await result.getAttribute("role")).toBe("status");
    expect(await result.textContent()).toBe("Tack! Din prenumeration är bekräftad.");
    expect(await page.getByRole("button").count()).toBe(0);
    expect(await page.title()).toMatch(/^Prenumerationen är bekräftad – /);
    await checkA11y(page, "confirmed with JavaScript (sv)");
    await screenshot(page, "confirm-done-js-sv-desktop");

    // The link again, in a visible page: already confirmed, said so, nothing changes.
    const again = await (await contextFor(true)).newPage();
    await again.goto(link);
    await again.getByRole("heading", { level: 1, name: "Prenumerationen är redan bekräftad" }).waitFor();
    expect(await again.locator("[data-confirm-result]").textContent()).toContain("Du har redan bekräftat");
    expect(await statusOf(email)).toBe("active");
  });

  it("with JavaScript: a link that is not valid says so in place, and confirms no one", async () => {
    const { email, link } = await pendingSignUp("en");
    const page = await (await contextFor(true)).newPage();
    await page.goto(link.replace(/token=([^&]+)/, (_, t: string) => `token=${t.slice(0, -4)}AAAA`));
    await page.getByRole("heading", { level: 1, name: "The link does not work" }).waitFor();
    expect(await page.locator("[data-confirm-result]").textContent()).toMatch(/not valid/);
    expect(await page.locator("[data-confirm-result]").getAttribute("class")).toContain("error");
    expect(await statusOf(email)).toBe("pending");
  });

  it("without JavaScript: the button stays, nothing is confirmed until it is pressed, and pressing it confirms", async () => {
    const { email, link } = await pendingSignUp("en");
    const page = await (await contextFor(false)).newPage();
    await page.goto(link);
    expect(await statusOf(email)).toBe("pending");
    const button = page.getByRole("button", { name: "Confirm subscription" });
    expect(await button.isVisible()).toBe(true);
    await page.reload();
    expect(await statusOf(email)).toBe("pending");

    await button.click();
    await page.getByRole("heading", { level: 1, name: "Subscription confirmed" }).waitFor();
    expect(await statusOf(email)).toBe("active");
  });
});
