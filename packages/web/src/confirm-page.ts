import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { buttonPage, layout } from "./layout";

const TEXT = {
  sv: {
    title: "Bekräfta prenumerationen",
    intro: "Klicka på knappen för att bekräfta att du vill få nyhetsbrev från Missions.",
    button: "Bekräfta prenumerationen",
    done: "Tack! Din prenumeration är bekräftad.",
    doneTitle: "Prenumerationen är bekräftad",
    failedTitle: "Länken fungerar inte",
  },
  en: {
    title: "Confirm your subscription",
    intro: "Press the button to confirm that you want to receive the Missions newsletter.",
    button: "Confirm subscription",
    done: "Thank you! Your subscription is confirmed.",
    doneTitle: "Subscription confirmed",
    failedTitle: "The link does not work",
  },
} as const;

/**
 * The page a confirmation link opens. It changes nothing by itself (mail scanners follow links): only
 * its button, a plain form POST, confirms.
 */
export function confirmPage(language: Language, token: string): string {
  return buttonPage(language, TEXT[language], `/api/subscriptions/confirm?lang=${language}`, { token });
}

/** The page after a form confirmation. */
export function confirmedPage(language: Language): string {
  const t = TEXT[language];
  return layout(language, t.doneTitle, `<h1>${t.doneTitle}</h1>\n<p>${t.done}</p>`);
}

/** The page for a refused link, with the reason in the visitor's language. */
export function linkFailedPage(language: Language, message: { sv: string; en: string }): string {
  const t = TEXT[language];
  return layout(language, t.failedTitle, `<h1>${t.failedTitle}</h1>\n<p class="error">${escapeHtml(message[language])}</p>`);
}
