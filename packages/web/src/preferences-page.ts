import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { FieldProblem } from "@mission-mail/core/shared/errors";
import type { PreferencesView } from "@mission-mail/core/subscription/preferences";
import { CADENCES, LANGUAGES, TOPICS, type Language } from "@mission-mail/core/shared/vocabulary";
import { layout } from "./layout";

const TEXT = {
  sv: {
    title: "Dina inställningar",
    intro: (email: string) => `Här ändrar du vad du får från Missions till ${email}.`,
    saved: "Dina inställningar är sparade.",
    errorsTitle: "Något behöver rättas",
    missions: "Missioner",
    topics: "Ämnen",
    topic: { seminar: "Seminarier", publication: "Publikationer", news: "Nyheter och lanseringar" },
    cadence: "Hur ofta",
    cadenceName: { immediate: "Direkt när något publiceras", weekly: "Veckobrev (måndagar)", monthly: "Månadsbrev (första måndagen)" },
    language: "Språk",
    languageName: { sv: "Svenska", en: "Engelska" },
    trackingLegend: "Öppnings- och klickmätning",
    tracking: "Ja, ni får mäta när jag öppnar mejlen och klickar på länkar.",
    trackingHelp: "Av som standard. Utan mätning innehåller mejlen varken spårningspixel eller omskrivna länkar.",
    retired: "(avslutad)",
    save: "Spara inställningar",
    unsubscribedTitle: "Du prenumererar inte längre",
    unsubscribed: "Du har avslutat prenumerationen och får inga mejl från oss. Du kan anmäla dig igen på webbplatsen.",
    dataTitle: "Dina uppgifter",
    dataIntro: "Du kan ladda ner eller radera allt vi har sparat om dig. Vi skickar en länk till din e-postadress som gäller i en timme, så att ingen som fått ett vidarebefordrat mejl kan göra det i ditt ställe.",
    exportButton: "Mejla mig en länk för att ladda ner mina uppgifter",
    eraseButton: "Mejla mig en länk för att radera mina uppgifter",
    unsubscribeTitle: "Avsluta",
    unsubscribeLink: "Avsluta prenumerationen helt",
  },
  en: {
    title: "Your preferences",
    intro: (email: string) => `Change what Missions sends to ${email}.`,
    saved: "Your preferences are saved.",
    errorsTitle: "Something needs fixing",
    missions: "Missions",
    topics: "Topics",
    topic: { seminar: "Seminars", publication: "Publications", news: "News and launches" },
    cadence: "How often",
    cadenceName: { immediate: "As soon as something is published", weekly: "Weekly digest (Mondays)", monthly: "Monthly digest (first Monday)" },
    language: "Language",
    languageName: { sv: "Swedish", en: "English" },
    trackingLegend: "Open and click tracking",
    tracking: "Yes, you may measure when I open the emails and click links.",
    trackingHelp: "Off by default. Without it, emails carry no tracking pixel and no rewritten links.",
    retired: "(retired)",
    save: "Save preferences",
    unsubscribedTitle: "You no longer subscribe",
    unsubscribed: "You have unsubscribed and get no email from us. You can sign up again on the website.",
    dataTitle: "Your data",
    dataIntro: "You can download or erase everything we keep about you. We email a link to your address that works for one hour, so nobody who was forwarded one of our emails can do it in your place.",
    exportButton: "Email me a link to download my data",
    eraseButton: "Email me a link to erase my data",
    unsubscribeTitle: "Leave",
    unsubscribeLink: "Unsubscribe from everything",
  },
} as const;

export interface PreferencesPageState {
  token: string;
  view: PreferencesView;
  /** Values to show instead of the stored ones (a refused form keeps what was entered). */
  values?: Partial<Pick<PreferencesView, "language" | "missions" | "topics" | "cadence" | "tracking">>;
  problems?: FieldProblem[];
  /** A message after a successful save or a data-rights request. */
  notice?: string;
}

const checked = (on: boolean) => (on ? " checked" : "");

/** The preference centre: every choice in one plain form, plus data rights and unsubscribe. */
export function preferencesPage(language: Language, state: PreferencesPageState): string {
  const t = TEXT[language];
  const { view, token } = state;
  const v = { ...view, ...state.values };
  const q = `token=${encodeURIComponent(token)}&lang=${language}`;
  const problems = state.problems ?? [];
  const fieldError = (field: string) => problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`));
  const errorText = (field: string) => {
    const errors = fieldError(field);
    return errors.length ? `<p class="field-error" id="${field}-error">${escapeHtml(errors.map((e) => e.message).join(" "))}</p>` : "";
  };
  const described = (field: string) => (fieldError(field).length ? ` aria-describedby="${field}-error"` : "");
  const group = (field: string, legend: string, inputs: string) =>
    `<fieldset id="${field}"${fieldError(field).length ? ' class="has-error"' : ""}${described(field)}>\n<legend>${escapeHtml(legend)}</legend>\n${errorText(field)}${inputs}\n</fieldset>`;
  const choice = (type: "checkbox" | "radio", name: string, value: string, label: string, on: boolean) =>
    `<div class="check"><input type="${type}" id="${name}-${value}" name="${name}" value="${escapeHtml(value)}"${checked(on)}><label for="${name}-${value}">${escapeHtml(label)}</label></div>`;

  const summary = problems.length
    ? `<div class="error-summary" role="alert" tabindex="-1"><h2>${t.errorsTitle}</h2><ul>${problems
        .map((p) => `<li><a href="#${escapeHtml(p.field.split(".")[0]!)}">${escapeHtml(p.message)}</a></li>`)
        .join("")}</ul></div>`
    : "";
  const notice = state.notice ? `<div class="notice success" role="status"><p>${escapeHtml(state.notice)}</p></div>` : "";

  const form =
    view.status === "active"
      ? `<form method="post" action="/preferences?${escapeHtml(q)}" class="preferences" novalidate>
${group("missions", t.missions, view.available.map((m) => choice("checkbox", "missions", m.id, `${m.name[language]}${m.retired ? ` ${t.retired}` : ""}`, v.missions.includes(m.id))).join("\n"))}
${group("topics", t.topics, TOPICS.map((topic) => choice("checkbox", "topics", topic, t.topic[topic], v.topics.includes(topic))).join("\n"))}
${group("cadence", t.cadence, CADENCES.map((c) => choice("radio", "cadence", c, t.cadenceName[c], v.cadence === c)).join("\n"))}
${group("language", t.language, LANGUAGES.map((l) => choice("radio", "language", l, t.languageName[l], v.language === l)).join("\n"))}
${group("tracking", t.trackingLegend, `${choice("checkbox", "tracking", "on", t.tracking, v.tracking)}\n<p class="hint">${escapeHtml(t.trackingHelp)}</p>`)}
<button type="submit">${t.save}</button>
</form>`
      : `<h2>${t.unsubscribedTitle}</h2>\n<p>${escapeHtml(t.unsubscribed)}</p>`;

  const dataRights = `<section aria-labelledby="data-title">
<h2 id="data-title">${t.dataTitle}</h2>
<p>${escapeHtml(t.dataIntro)}</p>
<form method="post" action="/api/me/requests?${escapeHtml(q)}" class="button-row"><input type="hidden" name="action" value="export"><button type="submit" class="button secondary">${t.exportButton}</button></form>
<form method="post" action="/api/me/requests?${escapeHtml(q)}" class="button-row"><input type="hidden" name="action" value="erase"><button type="submit" class="button secondary">${t.eraseButton}</button></form>
</section>`;
  const leave =
    view.status === "active"
      ? `<section aria-labelledby="leave-title"><h2 id="leave-title">${t.unsubscribeTitle}</h2><p><a href="/unsubscribe?${escapeHtml(q)}">${t.unsubscribeLink}</a></p></section>`
      : "";

  return layout(
    language,
    t.title,
    `<h1>${t.title}</h1>
${summary}${notice}
<p>${escapeHtml(t.intro(view.email))}</p>
${form}
${dataRights}
${leave}`,
  );
}

/** The notice shown after saving. */
export const savedNotice = (language: Language) => TEXT[language].saved;
