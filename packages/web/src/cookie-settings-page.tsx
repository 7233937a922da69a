/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { CookieSettings, type CookieChoice } from "./cookie-consent";
import { copy } from "./copy";
import type { Language } from "./core";
import { layout } from "./layout";

/**
 * `GET /cookies`: the cookie settings page every footer links to, with the current choices checked,
 * so a choice can be changed at any time. It carries no banner: it is the banner's full form.
 */
export function cookieSettingsPage(language: Language, returnTo: string, choice: CookieChoice | undefined): string {
  const query = new URLSearchParams({ return: returnTo }).toString();
  return layout(language, copy(language).cookies.settingsTitle, <CookieSettings language={language} returnTo={returnTo} choice={choice} />, {
    path: `/cookies?${query}`,
    section: "cookies",
  });
}
