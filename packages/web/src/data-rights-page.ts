import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { layout } from "./layout";

const TEXT = {
  sv: {
    sentTitle: "Kolla din e-post",
    sent: {
      export: "Vi har mejlat en länk där du kan ladda ner dina uppgifter. Länken gäller i en timme.",
      erase: "Vi har mejlat en länk där du kan radera dina uppgifter. Länken gäller i en timme.",
    },
    back: "Tillbaka till dina inställningar",
    title: "Dina uppgifter",
    intro: "Länken gäller i en timme. Här kan du ladda ner allt vi har sparat om dig, eller radera det.",
    exportTitle: "Ladda ner",
    exportText: "En fil (JSON) med din prenumeration, alla dina samtycken och vilka utskick du har fått.",
    exportLink: "Ladda ner mina uppgifter",
    eraseTitle: "Radera",
    eraseText:
      "Vi raderar din prenumeration, dina samtycken och din utskickshistorik. Kvar blir bara en oläsbar kod (HMAC) av din adress på vår spärrlista, så att vi aldrig mejlar dig igen av misstag, och en anteckning om att en radering gjordes. Det går inte att ångra.",
    eraseButton: "Radera mina uppgifter",
    erasedTitle: "Dina uppgifter är raderade",
    erased: "Vi har raderat dina uppgifter. Du får inga fler mejl från oss. Du kan anmäla dig igen när du vill.",
  },
  en: {
    sentTitle: "Check your email",
    sent: {
      export: "We have emailed you a link where you can download your data. The link works for one hour.",
      erase: "We have emailed you a link where you can erase your data. The link works for one hour.",
    },
    back: "Back to your preferences",
    title: "Your data",
    intro: "This link works for one hour. Here you can download everything we keep about you, or erase it.",
    exportTitle: "Download",
    exportText: "A file (JSON) with your subscription, all your consent records and the emails you have been sent.",
    exportLink: "Download my data",
    eraseTitle: "Erase",
    eraseText:
      "We erase your subscription, your consent records and your email history. All that is left is an unreadable code (HMAC) of your address on our suppression list, so that we never email you again by mistake, and a note that an erasure took place. This cannot be undone.",
    eraseButton: "Erase my data",
    erasedTitle: "Your data is erased",
    erased: "We have erased your data. You will get no more email from us. You can sign up again whenever you like.",
  },
} as const;

/** After asking for a data-rights link from the preference centre. */
export function dataRightsSentPage(language: Language, action: "export" | "erase", manageToken: string): string {
  const t = TEXT[language];
  return layout(
    language,
    t.sentTitle,
    `<h1>${t.sentTitle}</h1>\n<div class="notice success" role="status"><p>${escapeHtml(t.sent[action])}</p></div>\n<p><a href="/preferences?token=${encodeURIComponent(manageToken)}&amp;lang=${language}">${t.back}</a></p>`,
  );
}

/**
 * The page the emailed data-rights link opens: a download link and an erase button (a form POST, so
 * a mail scanner following the link erases nothing).
 */
export function dataRightsPage(language: Language, token: string): string {
  const t = TEXT[language];
  const q = escapeHtml(`token=${encodeURIComponent(token)}&lang=${language}`);
  return layout(
    language,
    t.title,
    `<h1>${t.title}</h1>
<p>${escapeHtml(t.intro)}</p>
<section aria-labelledby="export-title">
<h2 id="export-title">${t.exportTitle}</h2>
<p>${escapeHtml(t.exportText)}</p>
<p><a class="button" href="/api/me/export?${q}&amp;download=1" download>${t.exportLink}</a></p>
</section>
<section aria-labelledby="erase-title">
<h2 id="erase-title">${t.eraseTitle}</h2>
<p>${escapeHtml(t.eraseText)}</p>
<form method="post" action="/api/me/erase?${q}"><button type="submit" class="button">${t.eraseButton}</button></form>
</section>`,
  );
}

/** After erasing. */
export function erasedPage(language: Language): string {
  const t = TEXT[language];
  return layout(language, t.erasedTitle, `<h1>${t.erasedTitle}</h1>\n<p role="status">${escapeHtml(t.erased)}</p>`);
}
