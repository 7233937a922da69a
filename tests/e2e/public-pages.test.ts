import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../integration/harness";
import { checkA11y, closeBrowser, focused, launchBrowser, newContext, screenshot, tabTo, VIEWPORTS } from "./browser";

const ACCEPTED = "v1:f1:s0";
const DECLINED = "v1:f0:s0";
const DECLINED_SV = "För att vara mer anonym har du valt att stänga av vissa funktioner på vår webbplats";
const DECLINED_EN = "To stay more anonymous, you have chosen to turn off some functions on our website";
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const DAY = 86_400_000;

let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** Opens a path in a fresh context (its own cookies), with or without JavaScript and a cookie choice. */
async function open(path: string, options: { javaScript?: boolean; viewport?: keyof typeof VIEWPORTS; cookie?: string } = {}): Promise<Page> {
  const context = await newContext(browser, { baseURL: h.cloud.urls.site, ...(options.javaScript === false ? { javaScript: false } : {}), ...(options.viewport ? { viewport: options.viewport } : {}) });
  contexts.push(context);
  if (options.cookie) await context.addCookies([{ name: "mm_cookies", value: options.cookie, url: h.cloud.urls.site }]);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

const consentCookie = async (page: Page) => (await page.context().cookies()).find((c) => c.name === "mm_cookies")?.value;
const signupState = (page: Page) => page.locator("#signup").getAttribute("data-state");
const markPage = (page: Page) => page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
const samePage = (page: Page) => page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed === true);
const address = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 10)}@example.org`;

/** The sign-up's ledger record, found through the subscriber profile that holds the address. */
async function ledgerRecord(email: string) {
  const profile = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === email);
  if (!profile) throw new Error(`no subscriber for ${email}`);
  return (await h.partition(profile.PK as string)).find((i) => String(i.SK).startsWith("CONSENT#"))!;
}

async function confirmationMail(email: string) {
  await h.drain();
  const mails = await h.mailTo(email);
  expect(mails).toHaveLength(1);
  expect(mails[0]!.body.text).toContain("/confirm?token=");
  return mails[0]!;
}

describe("public pages in a browser", () => {
  beforeAll(async () => {
    h = await startHarness({ RATE_LIMIT_PER_IP: "1000" });
    browser = await launchBrowser();
    const now = Date.now();
    const base = { version: 1, missions: ["societal-contract"], summary: "Vad vi har lärt oss.", language: "sv" };
    const upcoming = new Date(now + 12 * DAY);
    upcoming.setUTCHours(8, 0, 0, 0);
    const items = [
      { ...base, id: "e2e-seminar", kind: "seminar", title: "Seminarium om tillit", url: "https://missions.example.org/evenemang/tillit", publishedAt: new Date(now - DAY).toISOString(), startsAt: upcoming.toISOString(), endsAt: new Date(upcoming.getTime() + 2 * 3_600_000).toISOString(), location: "Stockholm", registrationUrl: "https://missions.example.org/evenemang/tillit/anmalan" },
      { ...base, id: "e2e-publication", kind: "publication", title: "Rapport: delaktighet i praktiken", url: "https://missions.example.org/publikationer/delaktighet", publishedAt: new Date(now - 40 * DAY).toISOString() },
      { ...base, id: "e2e-news", kind: "news", language: "en", title: "News: a new societal contract", summary: "What happened.", url: "https://missions.example.org/news/contract", publishedAt: new Date(now - 75 * DAY).toISOString() },
    ];
    for (const item of items) expect((await h.publish({ type: "content.published", item })).status).toBe(202);
    await h.idle();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await h?.stop();
  });

  for (const language of ["sv", "en"] as const) {
    it(`${language}: every public page passes axe (WCAG 2.1 AA) at desktop and mobile widths, and so does every state of the sign-up`, { timeout: 180_000 }, async () => {
      const q = language === "en" ? "?lang=en" : "";
      // Every page once, and each state of the sign-up once: the cookie banner and the sign-up are the
      // same components on the overview and on a mission's page, so each state is checked on one of them.
      const cases: [string, string, string | undefined][] = [
        ["overview-banner", `/missions${q}`, undefined],
        ["mission-form", `/missions/food-system${q}`, ACCEPTED],
        ["mission-declined", `/missions/food-system${q}`, DECLINED],
        ["archive", `/missions/societal-contract/archive${q}`, ACCEPTED],
        ["cookie-settings", `/cookies${q}`, ACCEPTED],
        ["not-found", `/missions/no-such-mission${q}`, ACCEPTED],
      ];
      for (const viewport of ["desktop", "mobile"] as const) {
        // One context and page per width: each case sets its own cookie choice (or none) before loading.
        const context = await newContext(browser, { baseURL: h.cloud.urls.site, viewport });
        contexts.push(context);
        const page = await context.newPage();
        for (const [name, path, cookie] of cases) {
          await context.clearCookies();
          if (cookie) await context.addCookies([{ name: "mm_cookies", value: cookie, url: h.cloud.urls.site }]);
          await page.goto(path);
          expect(await page.getAttribute("html", "lang")).toBe(language);
          expect(await page.locator("#cookie-banner").count(), `${name}: the banner shows until a choice is made`).toBe(cookie ? 0 : 1);
          await checkA11y(page, `${name} (${language}, ${viewport})`);
          await screenshot(page, `${name}-${language}-${viewport}`);
        }
        await context.close();
      }
    });
  }

  it("the accessibility statement and the privacy notice pass axe, once each in Swedish and English", { timeout: 180_000 }, async () => {
    for (const [name, path] of [["accessibility-sv", "/tillganglighet"], ["accessibility-en", "/en/accessibility"], ["privacy-sv", "/personuppgifter"], ["privacy-en", "/en/privacy"]] as const) {
      const page = await open(path, { cookie: ACCEPTED });
      await checkA11y(page, name);
      await screenshot(page, `${name}-desktop`);
      await page.context().close();
    }
  });

  it("with JavaScript: declining shows the notice without a reload, and allowing brings the widget back the same way", async () => {
    const page = await open("/missions/mobility?lang=en");
    await markPage(page);
    expect(await signupState(page)).toBe("undecided");
    await page.getByRole("button", { name: "Only necessary cookies" }).click();
    await expect.poll(() => page.locator("#cookie-banner").count()).toBe(0);
    await expect.poll(() => signupState(page)).toBe("declined");
    expect(await page.locator("#signup").textContent()).toContain(DECLINED_EN);
    expect(await page.locator('form[action="/subscribe"]').count()).toBe(0);
    expect(await consentCookie(page)).toBe("v1:f0:s0");
    expect(await samePage(page)).toBe(true);
    await expect.poll(() => page.locator("#site-status").textContent()).toContain("Your cookie choices have been saved.");
    await checkA11y(page, "declined with JavaScript");
    await screenshot(page, "mission-declined-js-en-desktop");

    await page.getByRole("button", { name: "Allow functional cookies and show the form" }).click();
    await expect.poll(() => signupState(page)).toBe("form");
    expect(await page.locator('input[name="missions"][value="mobility"]').isChecked()).toBe(true);
    expect(await consentCookie(page)).toBe("v1:f1:s0");
    expect(await samePage(page)).toBe(true);
    expect((await focused(page)).id).toBe("signup-title");
    await checkA11y(page, "widget back with JavaScript");
  });

  it("without JavaScript: the same choices work through the form and its redirect, and the server keeps the gate", async () => {
    const page = await open("/missions/mobility", { javaScript: false });
    await page.getByRole("button", { name: "Endast nödvändiga kakor" }).click();
    expect(new URL(page.url()).pathname).toBe("/missions/mobility");
    expect(await page.locator("#cookie-banner").count()).toBe(0);
    expect(await signupState(page)).toBe("declined");
    expect(await page.locator("#signup").textContent()).toContain(DECLINED_SV);
    expect(await page.locator('form[action="/subscribe"]').count()).toBe(0);
    await checkA11y(page, "declined without JavaScript");
    await screenshot(page, "mission-declined-nojs-sv-desktop");

    // The notice links to the settings, which return here.
    await page.getByRole("link", { name: "Ändra dina kakinställningar" }).click();
    expect(new URL(page.url()).pathname).toBe("/cookies");
    expect(await page.locator('input[name="functional"]').isChecked()).toBe(false);
    await page.getByRole("button", { name: "Godkänn alla kakor" }).click();
    expect(new URL(page.url()).pathname).toBe("/missions/mobility");
    expect(await signupState(page)).toBe("form");
    expect(await consentCookie(page)).toBe("v1:f1:s1");

    // Declining again and allowing from the notice itself, still without JavaScript.
    await page.context().addCookies([{ name: "mm_cookies", value: DECLINED, url: h.cloud.urls.site }]);
    await page.reload();
    await page.getByRole("button", { name: "Tillåt funktionella kakor och visa formuläret" }).click();
    expect(await signupState(page)).toBe("form");
    expect(await page.locator('input[name="missions"][value="mobility"]').isChecked()).toBe(true);
  });

  it("without JavaScript: signs up through the form, sends the confirmation and records the cookie choices", async () => {
    const email = address("nojs");
    const page = await open("/missions/food-system", { javaScript: false });
    await page.getByRole("button", { name: "Godkänn alla kakor" }).click();
    await page.getByLabel("E-postadress").fill(email);
    await page.getByLabel("Jag godkänner villkoren ovan").check();
    await page.getByRole("button", { name: "Prenumerera", exact: true }).click();
    expect(await page.title()).toMatch(/^Kolla din inkorg/);
    expect(await page.locator("[data-result] h3").textContent()).toBe("Kolla din inkorg");
    expect(await page.locator("#signup").textContent()).toContain(email);
    await checkA11y(page, "check your inbox (no JavaScript)");
    await screenshot(page, "signup-sent-nojs-sv-desktop");

    await confirmationMail(email);
    expect(await ledgerRecord(email)).toMatchObject({
      event: "requested",
      source: "web",
      missions: ["food-system"],
      language: "sv",
      policyVersion: "2026-11",
      cookies: { functional: true, statistics: true },
    });
    // The form's own choices (every topic, weekly, the page's mission) reach the profile as posted.
    const profile = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === email);
    expect(profile).toMatchObject({ status: "pending", language: "sv", missions: ["food-system"], topics: ["seminar", "publication", "news"], cadence: "weekly" });
  });

  it("with JavaScript: shows errors in place with focus on the summary, then signs up without leaving the page", async () => {
    const email = address("js");
    const page = await open("/missions?lang=en", { viewport: "mobile" });
    await markPage(page);
    await page.getByText("Customise settings").click();
    await page.getByLabel("Functional cookies").check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await expect.poll(() => signupState(page)).toBe("form");
    expect(await consentCookie(page)).toBe("v1:f1:s0");

    await page.getByLabel("Mobility for sustainable cities", { exact: true }).check();
    await page.getByLabel("Email address").fill("not-an-address");
    await page.getByRole("button", { name: "Subscribe", exact: true }).click();
    await expect.poll(() => page.locator(".error-summary").count()).toBe(1);
    expect(await page.locator(".error-summary").textContent()).toContain("Enter a valid email address");
    expect(await page.locator(".error-summary").textContent()).toContain("You need to agree to the terms");
    expect(await page.locator("body").evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className)).toBe("error-summary");
    expect(await page.getByLabel("Mobility for sustainable cities", { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel("Email address").inputValue()).toBe("not-an-address");
    expect(await samePage(page)).toBe(true);
    await checkA11y(page, "form errors with JavaScript");
    await screenshot(page, "signup-errors-js-en-mobile");

    await page.locator(".error-summary a", { hasText: "Enter a valid email address" }).click();
    expect((await focused(page)).id).toBe("signup-email");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("I agree to the terms above").check();
    await page.getByRole("button", { name: "Subscribe", exact: true }).click();
    await expect.poll(() => signupState(page)).toBe("sent");
    expect(await page.locator("[data-result]").textContent()).toContain("Check your inbox");
    expect(await samePage(page)).toBe(true);
    await expect.poll(() => page.locator("#site-status").textContent()).toContain("Check your inbox");
    await checkA11y(page, "check your inbox (JavaScript)");
    await screenshot(page, "signup-sent-js-en-mobile");

    await confirmationMail(email);
    expect(await ledgerRecord(email)).toMatchObject({ source: "web", missions: ["mobility"], language: "en", cookies: { functional: true, statistics: false } });
  });

  for (const javaScript of [true, false]) {
    it(`keyboard (${javaScript ? "with" : "without"} JavaScript): Tab reaches the banner's buttons and every part of the form, with visible focus`, async () => {
      const email = address(javaScript ? "kbd-js" : "kbd");
      const page = await open("/missions/vision-driven-health?lang=en", { javaScript });
      const skip = await tabTo(page, () => true, 1);
      expect(skip).toMatchObject({ tag: "a", text: "Skip to content", visible: true });
      const accept = await tabTo(page, (f) => f.tag === "button" && f.text === "Accept all cookies");
      expect(accept.visible).toBe(true);
      await tabTo(page, (f) => f.text === "Only necessary cookies");
      await screenshot(page, `keyboard-banner-focus-${javaScript ? "js" : "nojs"}`);
      await page.keyboard.press("Shift+Tab");
      expect((await focused(page)).text).toBe("Accept all cookies");
      await page.keyboard.press("Enter");
      await expect.poll(() => signupState(page)).toBe("form");

      const box = await tabTo(page, (f) => f.name === "missions");
      expect(box.visible).toBe(true);
      const input = await tabTo(page, (f) => f.id === "signup-email");
      expect(input.visible).toBe(true);
      await page.keyboard.type(email);
      const consent = await tabTo(page, (f) => f.id === "signup-consent");
      expect(consent.visible).toBe(true);
      await page.keyboard.press("Space");
      const submit = await tabTo(page, (f) => f.tag === "button" && f.text === "Subscribe");
      expect(submit.visible).toBe(true);
      await screenshot(page, `keyboard-submit-focus-${javaScript ? "js" : "nojs"}`);
      await page.keyboard.press("Enter");
      await expect.poll(() => signupState(page)).toBe("sent");
      await confirmationMail(email);
      expect(await ledgerRecord(email)).toMatchObject({ missions: ["vision-driven-health"], cookies: { functional: true, statistics: true } });
    });
  }

  it("with JavaScript: the settings page saves in place and shows what is now chosen", async () => {
    const page = await open("/cookies?lang=en&return=/missions/mobility%3Flang%3Den", { cookie: "v1:f1:s0" });
    await markPage(page);
    expect(await page.locator('input[name="functional"]').isChecked()).toBe(true);
    await page.getByRole("button", { name: "Only necessary cookies" }).click();
    await expect.poll(() => page.locator("#cookie-status").textContent()).toBe("Your cookie choices have been saved.");
    expect(await page.locator("#cookie-current").textContent()).toMatch(/Functional cookies: off/);
    expect(await page.locator('input[name="functional"]').isChecked()).toBe(false);
    expect(await consentCookie(page)).toBe("v1:f0:s0");
    expect(await samePage(page)).toBe(true);
    await checkA11y(page, "settings saved with JavaScript");
    await page.getByRole("link", { name: "Back" }).click();
    expect(new URL(page.url()).search).toBe("?lang=en");
    expect(await signupState(page)).toBe("declined");
  });
});
