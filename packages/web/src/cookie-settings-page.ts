import type { Language } from "@mission-mail/core/shared/vocabulary";
import { cookieSettingsContent, cookieText, type CookieChoice } from "./cookie-consent";
import { layout } from "./layout";

/**
 * `GET /cookies`: the cookie settings page every footer links to, with the current choices checked,
 * so a choice can be changed at any time. It carries no banner: it is the banner's full form.
 */
export function cookieSettingsPage(language: Language, returnTo: string, choice: CookieChoice | undefined): string {
  const query = new URLSearchParams({ return: returnTo }).toString();
  return layout(language, cookieText(language).settingsTitle, cookieSettingsContent(language, returnTo, choice), { path: `/cookies?${query}`, section: "cookies" });
}
