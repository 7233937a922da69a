/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy } from "./copy";
import type { Language } from "./core";
import { buttonPage, messagePage } from "./layout";

/**
 * The page an unsubscribe link opens: a button, nothing changed yet (mail scanners follow links). The
 * campaign the link came from (`c`) goes along with the button, so the campaign counts the unsubscribe.
 */
export function unsubscribePage(language: Language, token: string, campaignTag?: string): string {
  const campaign = campaignTag ? `&c=${encodeURIComponent(campaignTag)}` : "";
  return buttonPage(language, copy(language).unsubscribe, `/unsubscribe?token=${encodeURIComponent(token)}&lang=${language}${campaign}`);
}

/** The page after unsubscribing. */
export function unsubscribedPage(language: Language): string {
  const t = copy(language).unsubscribe;
  return messagePage(language, t.doneTitle, t.done);
}
