import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkToken, signUp, startHarness, type Harness } from "./harness";

/**
 * The pages a Swedish public agency must publish, and the confirmation page, over HTTP on the local
 * cloud: the statements at their paths in both languages, linked from every footer, with the agency
 * of this deploy named in the header; and a confirmation link that confirms nothing when it is only
 * fetched (as link scanners do), while its page's script and button do.
 */

const AGENCY = { AGENCY_NAME: "Exempelverket", AGENCY_NAME_EN: "The Example Agency" };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ...AGENCY, RATE_LIMIT_PER_IP: "1000" });
});
afterAll(() => h?.stop());

const page = (path: string) => h.request("GET", path);
const headerOf = (html: string) => /<header[\s\S]*?<\/header>/.exec(html)?.[0] ?? "";
const footerOf = (html: string) => /<footer[\s\S]*?<\/footer>/.exec(html)?.[0] ?? "";

/** The subscriber profile that holds an address (test-only inspection). */
async function profile(email: string) {
  return (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === email);
}

/** Signs up through the API and answers the address and the confirmation link's token, unconfirmed. */
async function pendingSignUp(): Promise<{ email: string; token: string }> {
  const body = signUp({ language: "sv" });
  expect((await h.request("POST", "/api/subscriptions", { json: body })).status).toBe(202);
  await h.drain();
  const mail = (await h.mailTo(body.email)).at(-1)!;
  return { email: body.email, token: linkToken(mail, "/confirm") };
}

describe("the accessibility statement and the privacy notice", () => {
  it("are served at their Swedish and English paths, from the staff-edited texts, naming this deploy's agency", async () => {
    const cases = [
      ["/tillganglighet", "sv", "Tillgänglighet för Missions nyhetsbrev", ["delvis förenlig", "Myndigheten för digital förvaltning", "Senaste bedömningen gjordes den 2 december 2026", "https://www.digg.se/"]],
      ["/en/accessibility", "en", "Accessibility of the Missions newsletter", ["partially compliant", "Agency for Digital Government", "latest assessment was made on 2 December 2026"]],
      ["/personuppgifter", "sv", "Så behandlar vi dina personuppgifter", ["samtycke", "<table>", "7 dagar", "30 dagar efter att du senast avslutade", "13 månader", "90 dagar", "2 år", "14 dagar", 'href="/cookies"']],
      ["/en/privacy", "en", "How we handle your personal data", ["consent", "<table>", "7 days", "30 days after you last unsubscribed", "13 months", "90 days", "2 years", "14 days", 'href="/cookies?lang=en"']],
    ] as const;
    for (const [path, language, title, phrases] of cases) {
      const res = await page(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.text).toContain(`<html lang="${language}">`);
      expect(res.text).toMatch(new RegExp(`<h1 id="[a-z0-9-]+">${title}</h1>`));
      expect(res.text.match(/<h1[ >]/g), `${path}: one h1`).toHaveLength(1);
      for (const phrase of phrases) expect(res.text, `${path}: ${phrase}`).toContain(phrase);
      // {agency} in the text and the header both name the configured agency.
      const agency = language === "sv" ? AGENCY.AGENCY_NAME : AGENCY.AGENCY_NAME_EN;
      expect(headerOf(res.text)).toContain(agency);
      expect(res.text.split("<main")[1]).toContain(`${agency} `);
      expect(res.text).not.toContain("{agency}");
    }
  });

  it("switch language between their own paths, and ?lang=en on a Swedish path redirects to the English page", async () => {
    expect(headerOf((await page("/tillganglighet")).text)).toContain('href="/en/accessibility"');
    expect(headerOf((await page("/en/privacy")).text)).toContain('href="/personuppgifter"');
    for (const [from, to] of [["/tillganglighet?lang=en", "/en/accessibility"], ["/personuppgifter?lang=en", "/en/privacy"]]) {
      const res = await page(from!);
      expect(res.status).toBe(301);
      expect(res.headers.get("location")).toBe(to);
    }
  });

  it("are linked from every page's footer, in the page's language, and every header names the agency", async () => {
    const { token } = await pendingSignUp();
    for (const [path, language] of [["/missions", "sv"], ["/missions/food-system?lang=en", "en"], ["/cookies", "sv"], [`/confirm?token=${token}&lang=en`, "en"], ["/en/privacy", "en"]] as const) {
      const res = await page(path);
      expect(res.status, path).toBe(200);
      const footer = footerOf(res.text);
      expect(footer, path).toContain(language === "sv" ? 'href="/tillganglighet"' : 'href="/en/accessibility"');
      expect(footer, path).toContain(language === "sv" ? 'href="/personuppgifter"' : 'href="/en/privacy"');
      expect(headerOf(res.text), path).toContain(language === "sv" ? AGENCY.AGENCY_NAME : AGENCY.AGENCY_NAME_EN);
    }
  });
});

describe("the confirmation link", () => {
  it("changes nothing when fetched, however often: the page carries the button and the script's hook, not a confirmation", async () => {
    const { email, token } = await pendingSignUp();
    const before = await profile(email);
    expect(before?.status).toBe("pending");
    for (let i = 0; i < 3; i++) {
      const res = await page(`/confirm?token=${token}&lang=sv`);
      expect(res.status).toBe(200);
      expect(res.text).toContain("data-confirm");
      expect(res.text).toMatch(/<form method="post" action="\/api\/subscriptions\/confirm\?lang=sv">/);
      expect(res.text).toContain('aria-live="polite"');
      // The script is a same-origin file; the page has no inline script (its CSP forbids them).
      expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    }
    const after = await profile(email);
    expect(after?.status).toBe("pending");
    expect(after?.expiresAt).toBeDefined();
    expect(await h.partition(after!.PK as string)).toHaveLength((await h.partition(before!.PK as string)).length);
  });

  it("confirms when the page's script posts the token, and says so when it was confirmed before", async () => {
    const { email, token } = await pendingSignUp();
    const first = await h.request("POST", "/api/subscriptions/confirm?lang=sv", { json: { token } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: "active", alreadyConfirmed: false });
    expect((await profile(email))?.status).toBe("active");
    const again = await h.request("POST", "/api/subscriptions/confirm?lang=sv", { json: { token } });
    expect(again.body).toEqual({ status: "active", alreadyConfirmed: true });
    // The button (a plain form post) after that: the page says it was already confirmed.
    const form = await h.request("POST", "/api/subscriptions/confirm?lang=sv", { body: new URLSearchParams({ token }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(200);
    expect(form.text).toContain("Prenumerationen är redan bekräftad");
  });
});
