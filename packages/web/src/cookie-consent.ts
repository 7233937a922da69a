import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Language } from "@mission-mail/core/shared/vocabulary";

/** The first-party cookie that keeps a visitor's cookie choices. */
export const CONSENT_COOKIE = "mm_cookies";

/** How long a cookie choice is kept: one year, then the banner asks again. */
export const CONSENT_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** A visitor's cookie choices. Necessary cookies (this one) are always on and not a choice. */
export interface CookieChoice {
  functional: boolean;
  statistics: boolean;
}

/**
 * Reads the consent cookie's value (`v1:f1:s0`). Anything else, including a value written by a later
 * version of the banner, reads as "no choice made", so the banner simply asks again.
 */
export function parseCookieChoice(value: string | undefined): CookieChoice | undefined {
  const match = /^v1:f([01]):s([01])$/.exec(value ?? "");
  return match ? { functional: match[1] === "1", statistics: match[2] === "1" } : undefined;
}

/** The consent cookie's value for a choice. */
export function formatCookieChoice(choice: CookieChoice): string {
  return `v1:f${choice.functional ? 1 : 0}:s${choice.statistics ? 1 : 0}`;
}

const TEXT = {
  sv: {
    bannerTitle: "Kakor på webbplatsen",
    bannerIntro:
      "Vi använder nödvändiga kakor för att webbplatsen ska fungera. Med ditt samtycke använder vi också funktionella kakor, som behövs för att du ska kunna anmäla dig till nyhetsbrevet, och kakor för anonym besöksstatistik.",
    acceptAll: "Godkänn alla kakor",
    onlyNecessary: "Endast nödvändiga kakor",
    customize: "Anpassa inställningar",
    save: "Spara mina val",
    categoriesLegend: "Välj vilka kakor du godkänner",
    necessary: "Nödvändiga kakor",
    necessaryHint: "Sparar dina val om kakor. Alltid på.",
    functional: "Funktionella kakor",
    functionalHint: "Gör det möjligt att anmäla dig till nyhetsbrevet på våra sidor.",
    statistics: "Statistikkakor",
    statisticsHint: "Hjälper oss att förstå hur sidorna används. Statistiken är anonym.",
    settingsTitle: "Cookieinställningar",
    settingsIntro:
      "Här väljer du vilka kakor (cookies) vi får använda. Du kan ändra dig när som helst; ditt val sparas i en kaka i ett år.",
    current: "Dina nuvarande val",
    noChoice: "Du har inte gjort något val ännu.",
    on: "på",
    off: "av",
    saved: "Dina val om kakor är sparade.",
    back: "Tillbaka",
  },
  en: {
    bannerTitle: "Cookies on this website",
    bannerIntro:
      "We use necessary cookies to make the website work. With your consent we also use functional cookies, which you need to sign up for the newsletter, and cookies for anonymous visitor statistics.",
    acceptAll: "Accept all cookies",
    onlyNecessary: "Only necessary cookies",
    customize: "Customise settings",
    save: "Save my choices",
    categoriesLegend: "Choose which cookies you accept",
    necessary: "Necessary cookies",
    necessaryHint: "Remember your cookie choices. Always on.",
    functional: "Functional cookies",
    functionalHint: "Let you sign up for the newsletter on our pages.",
    statistics: "Statistics cookies",
    statisticsHint: "Help us understand how the pages are used. The statistics are anonymous.",
    settingsTitle: "Cookie settings",
    settingsIntro: "Choose which cookies we may use. You can change your mind at any time; your choice is kept in a cookie for one year.",
    current: "Your current choices",
    noChoice: "You have not made a choice yet.",
    on: "on",
    off: "off",
    saved: "Your cookie choices have been saved.",
    back: "Back",
  },
} as const;

/** The words of the cookie pages, for pages that link to them. */
export const cookieText = (language: Language) => TEXT[language];

/** Where the cookie settings page is, in the page's language. */
export const cookieSettingsHref = (language: Language, returnTo?: string) => {
  const query = new URLSearchParams();
  if (language === "en") query.set("lang", "en");
  if (returnTo) query.set("return", returnTo);
  const q = query.toString();
  return `/cookies${q ? `?${q}` : ""}`;
};

/**
 * The cookie form: accept all, only necessary, or a chosen set, posted to `/cookies` with the path to
 * return to. The same form serves the banner (customising folded away) and the settings page.
 */
function cookieForm(language: Language, returnTo: string, choice: CookieChoice | undefined, variant: "banner" | "settings"): string {
  const t = TEXT[language];
  const id = (name: string) => `${variant}-${name}`;
  const box = (name: "functional" | "statistics") => `
      <div class="check">
        <input type="checkbox" id="${id(name)}" name="${name}" value="1"${choice?.[name] ? " checked" : ""} aria-describedby="${id(name)}-hint">
        <label for="${id(name)}">${t[name]}</label>
        <p class="hint" id="${id(name)}-hint">${t[`${name}Hint`]}</p>
      </div>`;
  const categories = `<fieldset class="categories">
      <legend>${t.categoriesLegend}</legend>
      <div class="check">
        <input type="checkbox" id="${id("necessary")}" checked disabled aria-describedby="${id("necessary")}-hint">
        <label for="${id("necessary")}">${t.necessary}</label>
        <p class="hint" id="${id("necessary")}-hint">${t.necessaryHint}</p>
      </div>${box("functional")}${box("statistics")}
      <button type="submit" name="choice" value="custom" class="button secondary">${t.save}</button>
    </fieldset>`;
  const quick = `<div class="button-row">
      <button type="submit" name="choice" value="all" class="button">${t.acceptAll}</button>
      <button type="submit" name="choice" value="necessary" class="button">${t.onlyNecessary}</button>
    </div>`;
  return `<form method="post" action="/cookies" class="cookie-form" data-cookie-form="${variant}" data-saved="${t.saved}">
    <input type="hidden" name="return" value="${escapeHtml(returnTo)}">
    <input type="hidden" name="lang" value="${language}">
    ${quick}
    ${variant === "banner" ? `<details class="customise"><summary>${t.customize}</summary>\n    ${categories}\n    </details>` : categories}
  </form>`;
}

/** The banner every public page shows until the visitor has made a choice. */
export function cookieBanner(language: Language, returnTo: string): string {
  const t = TEXT[language];
  return `<section class="cookie-banner" id="cookie-banner" data-region aria-labelledby="cookie-banner-title">
  <div class="container">
  <h2 id="cookie-banner-title">${t.bannerTitle}</h2>
  <p>${t.bannerIntro} <a href="${escapeHtml(cookieSettingsHref(language, returnTo))}">${t.settingsTitle}</a></p>
  ${cookieForm(language, returnTo, undefined, "banner")}
  </div>
</section>`;
}

/** The settings page's content: what is chosen now and the form to change it. */
export function cookieSettingsContent(language: Language, returnTo: string, choice: CookieChoice | undefined): string {
  const t = TEXT[language];
  const state = (on: boolean) => `<strong>${on ? t.on : t.off}</strong>`;
  const current = choice
    ? `<ul>
  <li>${t.necessary}: ${state(true)}</li>
  <li>${t.functional}: ${state(choice.functional)}</li>
  <li>${t.statistics}: ${state(choice.statistics)}</li>
</ul>`
    : `<p>${t.noChoice}</p>`;
  return `<h1 id="page-title" tabindex="-1">${t.settingsTitle}</h1>
<div role="status" class="status-message" id="cookie-status"></div>
<p class="lead">${t.settingsIntro}</p>
<h2>${t.current}</h2>
<div id="cookie-current" data-region>
${current}
</div>
${cookieForm(language, returnTo, choice, "settings")}
<p><a href="${escapeHtml(returnTo)}">${t.back}</a></p>`;
}
