/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { CookieBanner, cookieSettingsHref } from "./cookie-consent";
import { copy } from "./copy";
import type { Language } from "./core";
import { ASSET_PATHS } from "./assets/asset-paths";
import { renderDocument } from "./raw";
import { currentSite } from "./site";

export { currentSite, withSite, type SiteIdentity } from "./site";

/** The statements every footer links to (the same paths as statement-pages.tsx publishes them at). */
const FOOTER_PAGES = {
  accessibility: { sv: "/tillganglighet", en: "/en/accessibility" },
  privacy: { sv: "/personuppgifter", en: "/en/privacy" },
} as const;

/** What a page may add to the shared shell; every field is optional, so plain pages pass nothing. */
export interface LayoutOptions {
  /**
   * The page's own path and query without `lang`, e.g. `/missions/mobility`. It gives the page a
   * language switch and is where the cookie banner returns to.
   */
  path?: string;
  /** Shows the cookie banner: the visitor has not made a cookie choice yet. Needs `path`. */
  banner?: boolean;
  /** Which main navigation entry this page belongs to. */
  section?: "missions" | "cookies" | "accessibility" | "privacy";
  /** The page in the other language, where it is not this page's `path` with `lang` (the statements' /en/ paths). */
  alternate?: string;
  /** A wide page (overview grids) instead of the narrow reading column. */
  wide?: boolean;
  /** Feeds of the page, for `<link rel="alternate">`. */
  feeds?: { href: string; title: string }[];
  /** The page's summary for search engines. */
  description?: string;
  /** Same-origin scripts the page loads instead of the site script (the staff console's own). */
  scripts?: string[];
  /** Style sheets for this page, after the shared one. */
  styles?: string[];
}

/** A site path in a language: Swedish is the default, so only English carries `lang=en`. */
export function localHref(path: string, language: Language): string {
  if (language === "sv") return path;
  const [base, hash] = path.split("#", 2);
  const joined = `${base}${base!.includes("?") ? "&" : "?"}lang=en`;
  return hash === undefined ? joined : `${joined}#${hash}`;
}

const OTHER: Record<Language, Language> = { sv: "en", en: "sv" };

/**
 * The shared page shell: `lang` set, a skip link, header with navigation and language switch, the
 * cookie banner slot, a footer that always links to the cookie settings, the site's style sheet and
 * the site script, which only enhances: every page works without it. Pages that pass no options get a narrow reading column.
 */
export function Layout(props: { language: Language; title: string; options?: LayoutOptions; children?: Child }) {
  const { language, title, options = {} } = props;
  const t = copy(language).site;
  const other = OTHER[language];
  const returnTo = options.path ? localHref(options.path, language) : undefined;
  const current = (section: LayoutOptions["section"]) => (options.section === section ? "page" : undefined);
  const site = currentSite();
  const switchTo = options.alternate ?? (options.path ? localHref(options.path, other) : undefined);
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t.brand} ${t.brandSub}`}</title>
        {options.description ? <meta name="description" content={options.description} /> : null}
        {(options.feeds ?? []).map((f) => (
          <link rel="alternate" type="application/atom+xml" title={f.title} href={f.href} />
        ))}
        {[ASSET_PATHS.siteCss, ...(options.styles ?? [])].map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {(options.scripts ?? [ASSET_PATHS.siteJs]).map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        {options.banner && returnTo ? <CookieBanner language={language} returnTo={returnTo} /> : null}
        <header class="site-header">
          <div class="container header-inner">
            <p class="agency">
              {site.logoUrl ? <img class="agency-logo" src={site.logoUrl} alt="" height={32} /> : null}
              <span>{site.agencyName[language]}</span>
            </p>
            <a class="brand" href={localHref("/missions", language)}>
              {t.brand}
              <span>{t.brandSub}</span>
            </a>
            <div class="header-links">
              <nav class="site-nav" aria-label={t.nav}>
                <ul>
                  <li>
                    <a href={localHref("/missions", language)} aria-current={current("missions")}>
                      {t.missions}
                    </a>
                  </li>
                </ul>
              </nav>
              {switchTo ? (
                <a class="lang-switch" href={switchTo} lang={other} hreflang={other}>
                  {t.otherLanguage}
                </a>
              ) : null}
            </div>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <div class="container">{options.wide ? props.children : <div class="panel narrow">{props.children}</div>}</div>
        </main>
        <footer class="site-footer">
          <div class="container footer-inner">
            <p>{t.footer}</p>
            <ul>
              <li>
                <a href={FOOTER_PAGES.accessibility[language]} aria-current={current("accessibility")}>
                  {t.accessibility}
                </a>
              </li>
              <li>
                <a href={FOOTER_PAGES.privacy[language]} aria-current={current("privacy")}>
                  {t.privacy}
                </a>
              </li>
              <li>
                <a href={cookieSettingsHref(language, returnTo)} aria-current={current("cookies")}>
                  {copy(language).cookies.settingsTitle}
                </a>
              </li>
            </ul>
          </div>
        </footer>
        <div id="site-status" class="visually-hidden" role="status" aria-live="polite"></div>
      </body>
    </html>
  );
}

/** A whole page in the shared shell, as HTML text. `main` is markup built with JSX, or text (escaped). */
export function layout(language: Language, title: string, main: Child, options: LayoutOptions = {}): string {
  return renderDocument(
    <Layout language={language} title={title} options={options}>
      {main}
    </Layout>,
  );
}

/** Picks the page language from `?lang=`, defaulting to Swedish, the site's main language. */
export function pageLanguage(lang: string | undefined): Language {
  return lang === "en" ? "en" : "sv";
}

/**
 * A page whose only action is one button: a plain form POST, so following the link (as mail scanners
 * do) changes nothing and the page works without JavaScript.
 */
export function buttonPage(language: Language, text: { title: string; intro: string; button: string }, action: string, hidden: Record<string, string> = {}): string {
  return layout(
    language,
    text.title,
    <>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <form method="post" action={action}>
        {Object.entries(hidden).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit">{text.button}</button>
      </form>
    </>,
  );
}

/** A page with a heading and a message: results ("you have unsubscribed") and refusals. */
export function messagePage(language: Language, title: string, message: string, options: { error?: boolean; status?: boolean; back?: { href: string; label: string } } = {}): string {
  return layout(
    language,
    title,
    <>
      <h1>{title}</h1>
      <p class={options.error ? "error" : undefined} role={options.status ? "status" : undefined}>
        {message}
      </p>
      {options.back ? (
        <p>
          <a href={options.back.href}>{options.back.label}</a>
        </p>
      ) : null}
    </>,
  );
}
