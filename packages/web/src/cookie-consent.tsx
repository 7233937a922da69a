/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy } from "./copy";
import type { Language } from "./core";

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

/** Where the cookie settings page is, in the page's language. */
export const cookieSettingsHref = (language: Language, returnTo?: string) => {
  const query = new URLSearchParams();
  if (language === "en") query.set("lang", "en");
  if (returnTo) query.set("return", returnTo);
  const q = query.toString();
  return `/cookies${q ? `?${q}` : ""}`;
};

/** The hidden fields every cookie form posts: where to return to and the page's language. */
export function CookieFormContext(props: { language: Language; returnTo: string }) {
  return (
    <>
      <input type="hidden" name="return" value={props.returnTo} />
      <input type="hidden" name="lang" value={props.language} />
    </>
  );
}

/** One cookie category: its checkbox, label and what it is for. */
function Category(props: { id: string; name?: "functional" | "statistics"; label: string; hint: string; checked: boolean; fixed?: boolean }) {
  return (
    <div class="check">
      <input type="checkbox" id={props.id} name={props.name} value={props.name ? "1" : undefined} checked={props.checked} disabled={props.fixed} aria-describedby={`${props.id}-hint`} />
      <label for={props.id}>{props.label}</label>
      <p class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
    </div>
  );
}

/**
 * The cookie form: accept all, only necessary, or a chosen set, posted to `/cookies` with the path to
 * return to. The same form serves the banner (customising folded away) and the settings page.
 */
function CookieForm(props: { language: Language; returnTo: string; choice: CookieChoice | undefined; variant: "banner" | "settings" }) {
  const { language, choice, variant } = props;
  const t = copy(language).cookies;
  const id = (name: string) => `${variant}-${name}`;
  const categories = (
    <fieldset class="categories">
      <legend>{t.categoriesLegend}</legend>
      <Category id={id("necessary")} label={t.necessary} hint={t.necessaryHint} checked fixed />
      <Category id={id("functional")} name="functional" label={t.functional} hint={t.functionalHint} checked={Boolean(choice?.functional)} />
      <Category id={id("statistics")} name="statistics" label={t.statistics} hint={t.statisticsHint} checked={Boolean(choice?.statistics)} />
      <button type="submit" name="choice" value="custom" class="button secondary">
        {t.save}
      </button>
    </fieldset>
  );
  return (
    <form method="post" action="/cookies" class="cookie-form" data-cookie-form={variant} data-saved={t.saved}>
      <CookieFormContext language={language} returnTo={props.returnTo} />
      <div class="button-row">
        <button type="submit" name="choice" value="all" class="button">
          {t.acceptAll}
        </button>
        <button type="submit" name="choice" value="necessary" class="button">
          {t.onlyNecessary}
        </button>
      </div>
      {variant === "banner" ? (
        <details class="customise">
          <summary>{t.customize}</summary>
          {categories}
        </details>
      ) : (
        categories
      )}
    </form>
  );
}

/** The banner every public page shows until the visitor has made a choice. */
export function CookieBanner(props: { language: Language; returnTo: string }) {
  const t = copy(props.language).cookies;
  return (
    <section class="cookie-banner" id="cookie-banner" data-region aria-labelledby="cookie-banner-title">
      <div class="container">
        <h2 id="cookie-banner-title">{t.bannerTitle}</h2>
        <p>
          {t.bannerIntro} <a href={cookieSettingsHref(props.language, props.returnTo)}>{t.settingsTitle}</a>
        </p>
        <CookieForm language={props.language} returnTo={props.returnTo} choice={undefined} variant="banner" />
      </div>
    </section>
  );
}

/** The settings page's content: what is chosen now and the form to change it. */
export function CookieSettings(props: { language: Language; returnTo: string; choice: CookieChoice | undefined }) {
  const { language, choice } = props;
  const t = copy(language).cookies;
  const state = (on: boolean) => <strong>{on ? t.on : t.off}</strong>;
  return (
    <>
      <h1 id="page-title" tabindex={-1}>
        {t.settingsTitle}
      </h1>
      <div role="status" class="status-message" id="cookie-status"></div>
      <p class="lead">{t.settingsIntro}</p>
      <h2>{t.current}</h2>
      <div id="cookie-current" data-region>
        {choice ? (
          <ul>
            <li>
              {t.necessary}: {state(true)}
            </li>
            <li>
              {t.functional}: {state(choice.functional)}
            </li>
            <li>
              {t.statistics}: {state(choice.statistics)}
            </li>
          </ul>
        ) : (
          <p>{t.noChoice}</p>
        )}
      </div>
      <CookieForm language={language} returnTo={props.returnTo} choice={choice} variant="settings" />
      <p>
        <a href={props.returnTo}>{t.back}</a>
      </p>
    </>
  );
}
