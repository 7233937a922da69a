import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { buttonPage, layout } from "./layout";

const TEXT = {
  sv: {
    title: "Avsluta prenumerationen",
    intro: "Tryck på knappen för att sluta få alla mejl från Missions nyhetsbrev.",
    button: "Avsluta prenumerationen",
    doneTitle: "Du har avslutat prenumerationen",
    done: "Du får inga fler mejl från oss. Du kan anmäla dig igen när du vill.",
  },
  en: {
    title: "Unsubscribe",
    intro: "Press the button to stop receiving all email from the Missions newsletter.",
    button: "Unsubscribe",
    doneTitle: "You have unsubscribed",
    done: "You will get no more email from us. You can sign up again whenever you like.",
  },
} as const;

/**
 * The page an unsubscribe link opens: a button, nothing changed yet (mail scanners follow links). The
 * campaign the link came from (`c`) goes along with the button, so the campaign counts the unsubscribe.
 */
export function unsubscribePage(language: Language, token: string, campaignTag?: string): string {
  const campaign = campaignTag ? `&c=${encodeURIComponent(campaignTag)}` : "";
  return buttonPage(language, TEXT[language], `/unsubscribe?token=${encodeURIComponent(token)}&lang=${language}${campaign}`);
}

/** The page after unsubscribing. */
export function unsubscribedPage(language: Language): string {
  const t = TEXT[language];
  return layout(language, t.doneTitle, `<h1>${t.doneTitle}</h1>\n<p>${escapeHtml(t.done)}</p>`);
}
