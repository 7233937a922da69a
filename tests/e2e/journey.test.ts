import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness, type StoredEmail } from "../integration/harness";
import { checkA11y, closeBrowser, launchBrowser, newContext, screenshot } from "./browser";

/**
 * The subscriber's whole journey in a real browser, as a newcomer walks it on `npm start`: decline
 * functional cookies, accept them, subscribe, confirm from the mailbox, change preferences, unsubscribe
 * with one click, and (in English) erase their data. Swedish runs with JavaScript, English without,
 * so both the enhanced and the plain-HTML paths are proven. axe-core checks every page on the way.
 */

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
});
afterAll(async () => {
  await closeBrowser(browser);
  await h?.stop();
});

const TEXT = {
  sv: {
    onlyNecessary: "Endast nödvändiga kakor",
    declinedNotice: "För att vara mer anonym har du valt att stänga av vissa funktioner",
    allow: "Tillåt funktionella kakor och visa formuläret",
    submit: "Prenumerera",
    sent: "Vi har skickat ett mejl till",
    confirm: "Bekräfta prenumerationen",
    confirmed: "Prenumerationen är bekräftad",
    save: "Spara inställningar",
    saved: "Dina inställningar är sparade",
    unsubscribe: "Avsluta prenumerationen",
    unsubscribed: "Du har avslutat prenumerationen",
    tooMany: "För många mejl",
    sendAnswer: "Skicka svar",
    thanks: "Tack för ditt svar",
    eraseLink: "Mejla mig en länk för att radera mina uppgifter",
    eraseSent: "Vi har mejlat en länk där du kan radera dina uppgifter",
    erase: "Radera mina uppgifter",
    erased: "Dina uppgifter är raderade",
  },
  en: {
    onlyNecessary: "Only necessary cookies",
    declinedNotice: "To stay more anonymous, you have chosen to turn off some functions",
    allow: "Allow functional cookies and show the form",
    submit: "Subscribe",
    sent: "We have sent an email to",
    confirm: "Confirm subscription",
    confirmed: "Subscription confirmed",
    save: "Save preferences",
    saved: "Your preferences are saved",
    unsubscribe: "Unsubscribe",
    unsubscribed: "You have unsubscribed",
    tooMany: "Too many emails",
    sendAnswer: "Send answer",
    thanks: "Thank you for your answer",
    eraseLink: "Email me a link to erase my data",
    eraseSent: "We have emailed you a link where you can erase your data",
    erase: "Erase my data",
    erased: "Your data is erased",
  },
} as const;

/** The path and query of the first link to `path` in an email's text part. */
function link(mail: StoredEmail, path: string): string {
  const match = new RegExp(`https?://[^\\s"<>]+${path}\\?token=[^\\s"<>]+`).exec(mail.body.text ?? "");
  if (!match) throw new Error(`No ${path} link in "${mail.subject}"`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

async function waitForMail(address: string, matches: (m: StoredEmail) => boolean): Promise<StoredEmail> {
  await h.idle();
  const mail = (await h.mailTo(address)).filter(matches).at(-1);
  if (!mail) throw new Error(`No matching email for ${address}`);
  return mail;
}

const profileOf = async (address: string) => (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address);

async function page(step: string, p: Page) {
  await checkA11y(p, step);
  await screenshot(p, `journey-${step}`);
}

describe.each([
  { language: "sv" as const, javaScript: true },
  { language: "en" as const, javaScript: false },
])("the subscriber journey in $language (JavaScript: $javaScript)", ({ language, javaScript }) => {
  const t = TEXT[language];
  const email = `journey-${language}-${Date.now()}@example.org`;
  let p: Page;

  beforeAll(async () => {
    p = await (await newContext(browser, { baseURL: h.cloud.urls.site, javaScript })).newPage();
  });

  it("1. declining functional cookies replaces the sign-up form with the notice", async () => {
    await p.goto(`/missions/food-system?lang=${language}`);
    await expect(p.locator("html").getAttribute("lang")).resolves.toBe(language);
    await page(`${language}-1-banner`, p);
    await p.getByRole("button", { name: t.onlyNecessary }).first().click();
    await p.getByText(t.declinedNotice).waitFor();
    expect(await p.locator("#signup-email").count()).toBe(0);
    await page(`${language}-1-declined`, p);
  });

  it("2. accepting brings the form back (without a reload when JavaScript runs), and signing up sends a confirmation", async () => {
    await p.evaluate(() => ((globalThis as unknown as { journeyMarker: number }).journeyMarker = 1));
    await p.getByRole("button", { name: t.allow }).click();
    await p.locator("#signup-email").waitFor();
    const sameDocument = await p.evaluate(() => (globalThis as unknown as { journeyMarker?: number }).journeyMarker === 1);
    expect(sameDocument).toBe(javaScript);
    await page(`${language}-2-form`, p);

    await p.locator("#signup-email").fill(email);
    await p.locator('input[name="topics"][value="seminar"]').check();
    await p.locator('input[name="topics"][value="publication"]').check();
    await p.locator('input[name="cadence"][value="immediate"]').check();
    await p.locator(`input[name="language"][value="${language}"]`).check();
    await p.locator("#signup-consent").check();
    await p.getByRole("button", { name: t.submit, exact: true }).click();
    await p.locator("#signup").getByText(t.sent).waitFor();
    await page(`${language}-2-sent`, p);

    // The sign-up is decided by its queue's worker after the page answered: once it has run, the
    // profile and its ledger record are there.
    await h.idle();
    const ledger = (await h.partition(`SUB#${(await profileOf(email))!.subscriberId}`)).find((i) => i.event === "requested")!;
    expect(ledger).toMatchObject({ source: "web", cookies: { functional: true, statistics: false }, missions: ["food-system"] });
  });

  it("3. the confirmation email's link confirms the subscription: at once with JavaScript, with the button without", async () => {
    const mail = await waitForMail(email, (m) => m.body.text?.includes("/confirm?token=") ?? false);
    await p.goto(link(mail, "/confirm"));
    if (!javaScript) {
      await page(`${language}-3-confirm`, p);
      expect((await profileOf(email))!.status).toBe("pending");
      await p.getByRole("button", { name: t.confirm }).click();
    }
    await p.getByRole("heading", { name: t.confirmed }).waitFor();
    await page(`${language}-3-confirmed`, p);
    expect((await profileOf(email))!.status).toBe("active");
  });

  it("4. the preference centre, from an alert's link, changes missions and cadence", async () => {
    const title = `Journey report ${language}`;
    await h.publish({
      type: "content.published",
      item: { id: `journey-${language}`, version: 1, kind: "publication", missions: ["food-system"], language, title, summary: "A report.", url: "https://missions.example.org/r", publishedAt: new Date().toISOString() },
    });
    const alert = await waitForMail(email, (m) => m.body.text?.includes(title) ?? false);
    await p.goto(link(alert, "/preferences"));
    await page(`${language}-4-preferences`, p);
    await p.locator("#missions-mobility").check();
    await p.locator("#cadence-weekly").check();
    await p.getByRole("button", { name: t.save }).click();
    await p.getByText(t.saved).waitFor();
    await page(`${language}-4-saved`, p);
    const profile = (await profileOf(email))!;
    expect(profile).toMatchObject({ missions: ["food-system", "mobility"], cadence: "weekly", tracking: false });
  });

  it("5. the unsubscribe link unsubscribes with one press, and holds", async () => {
    const alert = await waitForMail(email, (m) => m.body.text?.includes("/unsubscribe?token=") ?? false);
    await p.goto(link(alert, "/unsubscribe"));
    await page(`${language}-5-unsubscribe`, p);
    expect((await profileOf(email))!.status).toBe("active");
    await p.getByRole("button", { name: t.unsubscribe }).click();
    await p.getByRole("heading", { name: t.unsubscribed }).waitFor();
    await page(`${language}-5-unsubscribed`, p);
    expect((await profileOf(email))!.status).toBe("unsubscribed");
    // The optional question: why did you leave?
    const answers = async () => (await h.allItems()).filter((i) => i.type === "departure" && i.reason === "too-many-emails").length;
    const before = await answers();
    await p.getByRole("radio", { name: t.tooMany }).check();
    await p.getByRole("button", { name: t.sendAnswer }).click();
    await p.getByRole("heading", { name: t.thanks }).waitFor();
    await page(`${language}-5-reason-sent`, p);
    expect(await answers()).toBe(before + 1);
  });

  it("6. data rights: erasing through an emailed one-hour link leaves nothing personal", async () => {
    const alert = await waitForMail(email, (m) => m.body.text?.includes("/preferences?token=") ?? false);
    await p.goto(link(alert, "/preferences"));
    await p.getByRole("button", { name: t.eraseLink }).click();
    await p.getByText(t.eraseSent).waitFor();
    await page(`${language}-6-link-sent`, p);
    const mail = await waitForMail(email, (m) => m.body.text?.includes("/me?token=") ?? false);
    await p.goto(link(mail, "/me"));
    await page(`${language}-6-your-data`, p);
    await p.getByRole("button", { name: t.erase }).click();
    await p.getByRole("heading", { name: t.erased }).waitFor();
    await page(`${language}-6-erased`, p);
    expect(JSON.stringify(await h.allItems())).not.toContain(email);
  });
});
