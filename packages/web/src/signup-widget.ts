import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { FieldProblem } from "@mission-mail/core/shared/errors";
import type { Mission } from "@mission-mail/core/shared/missions";
import { CADENCES, LANGUAGES, TOPICS, type Cadence, type Language, type Topic } from "@mission-mail/core/shared/vocabulary";
import { cookieSettingsHref, cookieText } from "./cookie-consent";

/** What the sign-up form holds: its defaults, or what the visitor sent back. */
export interface SignupValues {
  email: string;
  language: Language;
  missions: string[];
  topics: Topic[];
  cadence: Cadence;
  consent: boolean;
}

/** The form's fields that can carry an error. */
export type SignupField = "email" | "missions" | "topics" | "cadence" | "language" | "consent";

/** Errors to show: per field, and a general one (rate limits) that belongs to no field. */
export interface SignupErrors {
  fields: Partial<Record<SignupField, string>>;
  general?: string;
}

/** What the sign-up section shows. */
export type SignupState =
  | {
      kind: "form";
      missions: Mission[];
      values: SignupValues;
      policy: { policyVersion: string; text: Record<Language, string> };
      /** The path of the page the form is on, without `lang`: where a refused form's page belongs. */
      from: string;
      errors?: SignupErrors;
    }
  /** Functional cookies declined: the seed site's notice instead of the form. */
  | { kind: "declined"; returnTo: string; statistics: boolean }
  /** No cookie choice made yet: the banner asks; the form needs functional cookies. */
  | { kind: "undecided"; returnTo: string }
  /** The form was accepted: check your inbox. */
  | { kind: "sent"; email: string };

const TEXT = {
  sv: {
    title: "Prenumerera på nyhetsbrevet",
    intro: "Välj vad du vill följa, så mejlar vi dig när det händer något. Du bekräftar din anmälan via en länk i mejlet.",
    missions: "Missioner",
    missionsHint: "Välj en eller flera.",
    topics: "Innehåll",
    topic: { seminar: "Seminarier", publication: "Publikationer", news: "Nyheter och lanseringar" } satisfies Record<Topic, string>,
    cadence: "Hur ofta vill du få mejl?",
    cadences: {
      immediate: "Direkt när något publiceras",
      weekly: "En sammanfattning i veckan (måndagar)",
      monthly: "En sammanfattning i månaden (första måndagen)",
    } satisfies Record<Cadence, string>,
    language: "Nyhetsbrevets språk",
    email: "E-postadress",
    emailHint: "Vi använder adressen bara för utskicken du väljer.",
    consentLabel: "Jag godkänner villkoren ovan",
    submit: "Prenumerera",
    honeypot: "Lämna det här fältet tomt",
    summary: "Det finns ett problem",
    failed: "Det gick inte att skicka anmälan just nu. Försök igen om en stund.",
    declined:
      "För att vara mer anonym har du valt att stänga av vissa funktioner på vår webbplats, som till exempel att anmäla dig till vårt nyhetsbrev. Du kan ändra dina inställningar när som helst för att tillåta dessa funktioner och få en bättre upplevelse.",
    declinedLink: "Ändra dina kakinställningar",
    allowFunctional: "Tillåt funktionella kakor och visa formuläret",
    undecided:
      "Anmälan till nyhetsbrevet använder funktionella kakor. Godkänn dem i rutan om kakor överst på sidan, eller i cookieinställningarna, så visas formuläret här.",
    undecidedLink: "Gå till cookieinställningarna",
    sentTitle: "Kolla din inkorg",
    sent: (email: string) => `Vi har skickat ett mejl till <strong>${email}</strong>. Klicka på länken i mejlet för att bekräfta din prenumeration. Länken gäller i sju dagar.`,
    sentMore: "Prenumererar du redan får du i stället en länk till dina inställningar. Hittar du inte mejlet? Titta i mappen för skräppost.",
  },
  en: {
    title: "Subscribe to the newsletter",
    intro: "Choose what you want to follow and we will email you when something happens. You confirm your sign-up through a link in the email.",
    missions: "Missions",
    missionsHint: "Choose one or more.",
    topics: "Content",
    topic: { seminar: "Seminars", publication: "Publications", news: "News and launches" } satisfies Record<Topic, string>,
    cadence: "How often do you want email?",
    cadences: {
      immediate: "As soon as something is published",
      weekly: "A weekly summary (Mondays)",
      monthly: "A monthly summary (first Monday)",
    } satisfies Record<Cadence, string>,
    language: "Newsletter language",
    email: "Email address",
    emailHint: "We use the address only for the emails you choose.",
    consentLabel: "I agree to the terms above",
    submit: "Subscribe",
    honeypot: "Leave this field empty",
    summary: "There is a problem",
    failed: "Your sign-up could not be sent just now. Please try again in a moment.",
    declined:
      "To stay more anonymous, you have chosen to turn off some functions on our website, such as signing up for our newsletter. You can change your settings at any time to allow these functions and get a better experience.",
    declinedLink: "Change your cookie settings",
    allowFunctional: "Allow functional cookies and show the form",
    undecided:
      "Signing up for the newsletter uses functional cookies. Accept them in the cookie box at the top of the page, or in the cookie settings, and the form will appear here.",
    undecidedLink: "Go to the cookie settings",
    sentTitle: "Check your inbox",
    sent: (email: string) => `We have sent an email to <strong>${email}</strong>. Click the link in it to confirm your subscription. The link works for seven days.`,
    sentMore: "If you already subscribe, you get a link to your preferences instead. Can't find the email? Look in your spam folder.",
  },
} as const;

const LANGUAGE_NAMES: Record<Language, string> = { sv: "Svenska", en: "English" };

const ERRORS = {
  sv: {
    emailMissing: "Ange din e-postadress.",
    email: "Ange en giltig e-postadress, till exempel namn@exempel.se.",
    missions: "Välj minst en mission.",
    missionsUnknown: "Välj bland missionerna i listan.",
    topics: "Välj minst ett slags innehåll.",
    cadence: "Välj hur ofta du vill få mejl.",
    language: "Välj språk för nyhetsbrevet.",
    consent: "Du behöver godkänna villkoren för att prenumerera.",
    policyChanged: "Villkoren har ändrats. Läs den nya texten och godkänn den igen.",
    rateLimited: "Det har kommit för många anmälningar på kort tid. Försök igen senare.",
    unknown: "Något i anmälan stämmer inte. Kontrollera uppgifterna och försök igen.",
  },
  en: {
    emailMissing: "Enter your email address.",
    email: "Enter a valid email address, like name@example.com.",
    missions: "Choose at least one mission.",
    missionsUnknown: "Choose from the missions in the list.",
    topics: "Choose at least one kind of content.",
    cadence: "Choose how often you want email.",
    language: "Choose the newsletter's language.",
    consent: "You need to agree to the terms to subscribe.",
    policyChanged: "The terms have changed. Read the new text and agree to it again.",
    rateLimited: "There have been too many sign-ups in a short time. Please try again later.",
    unknown: "Something in the sign-up is not right. Check the details and try again.",
  },
} as const;

/** The sign-up section's words, for pages around it. */
export const signupText = (language: Language) => TEXT[language];

/**
 * Turns a refusal of the sign-up use case (its code and field problems) into messages for the
 * form's fields, in the visitor's language. The use case's own messages are for API clients.
 */
export function signupErrors(language: Language, code: string, fields: FieldProblem[] = [], values?: Pick<SignupValues, "email" | "consent">): SignupErrors {
  const e = ERRORS[language];
  const out: SignupErrors = { fields: {} };
  for (const { field } of fields) {
    const top = field.split(".")[0]!;
    if (top === "email") out.fields.email = values && !values.email.trim() ? e.emailMissing : e.email;
    else if (top === "missions") out.fields.missions = field === "missions" ? e.missions : e.missionsUnknown;
    else if (top === "topics") out.fields.topics = e.topics;
    else if (top === "cadence") out.fields.cadence = e.cadence;
    else if (top === "language") out.fields.language = e.language;
    else if (top === "consent") out.fields.consent = e.policyChanged;
    else out.general ??= e.unknown;
  }
  if (code === "consent_required" || (values && !values.consent && code === "validation_failed")) out.fields.consent ??= e.consent;
  if (code === "unknown_policy_version") out.fields.consent = e.policyChanged;
  if (code === "rate_limited") out.general = e.rateLimited;
  if (!Object.keys(out.fields).length && !out.general) out.general = e.unknown;
  return out;
}

/** The form's starting values on a page: the page's language, all topics, weekly, and the page's mission if any. */
export function defaultSignupValues(language: Language, missionId?: string): SignupValues {
  return { email: "", language, missions: missionId ? [missionId] : [], topics: [...TOPICS], cadence: "weekly", consent: false };
}

const FIELD_ORDER: SignupField[] = ["missions", "topics", "cadence", "language", "email", "consent"];

function choiceList<T extends string>(
  name: string,
  legend: string,
  options: { value: T; label: string; lang?: Language }[],
  checked: (value: T) => boolean,
  type: "checkbox" | "radio",
  error: string | undefined,
  hint?: string,
): string {
  const id = `signup-${name}`;
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const inputs = options
    .map(
      (o, i) => `
      <div class="check">
        <input type="${type}" id="${id}-${i}" name="${name}" value="${escapeHtml(o.value)}"${checked(o.value) ? " checked" : ""}>
        <label for="${id}-${i}"${o.lang ? ` lang="${o.lang}"` : ""}>${escapeHtml(o.label)}</label>
      </div>`,
    )
    .join("");
  return `<fieldset id="${id}" class="${error ? "has-error" : ""}"${described ? ` aria-describedby="${described}"` : ""}>
    <legend>${escapeHtml(legend)}</legend>${hint ? `\n    <p class="hint" id="${id}-hint">${escapeHtml(hint)}</p>` : ""}${error ? `\n    <p class="field-error" id="${id}-error">${escapeHtml(error)}</p>` : ""}${inputs}
  </fieldset>`;
}

/** Where the error summary's link for a field points: its input, or its first choice. */
const fieldAnchor = (field: SignupField) => (field === "email" || field === "consent" ? `#signup-${field}` : `#signup-${field}-0`);

function signupForm(language: Language, state: Extract<SignupState, { kind: "form" }>): string {
  const t = TEXT[language];
  const { values, errors } = state;
  const err = errors?.fields ?? {};
  const problems = FIELD_ORDER.filter((f) => err[f]);
  const summary =
    problems.length || errors?.general
      ? `<div class="error-summary" tabindex="-1" aria-labelledby="signup-error-title">
    <h3 id="signup-error-title">${t.summary}</h3>
    <ul>${errors?.general ? `\n      <li>${escapeHtml(errors.general)}</li>` : ""}${problems.map((f) => `\n      <li><a href="${fieldAnchor(f)}">${escapeHtml(err[f]!)}</a></li>`).join("")}
    </ul>
  </div>`
      : "";
  const active = state.missions.filter((m) => m.status === "active");
  const missions = choiceList(
    "missions",
    t.missions,
    active.map((m) => ({ value: m.id, label: m.name[language] })),
    (id) => values.missions.includes(id),
    "checkbox",
    err.missions,
    t.missionsHint,
  );
  const topics = choiceList("topics", t.topics, TOPICS.map((v) => ({ value: v, label: t.topic[v] })), (v) => values.topics.includes(v), "checkbox", err.topics);
  const cadence = choiceList("cadence", t.cadence, CADENCES.map((v) => ({ value: v, label: t.cadences[v] })), (v) => values.cadence === v, "radio", err.cadence);
  const languages = choiceList(
    "language",
    t.language,
    LANGUAGES.map((v) => ({ value: v, label: LANGUAGE_NAMES[v], ...(v !== language ? { lang: v } : {}) })),
    (v) => values.language === v,
    "radio",
    err.language,
  );
  const emailDescribed = ["signup-email-hint", err.email ? "signup-email-error" : ""].filter(Boolean).join(" ");
  const consentDescribed = ["signup-consent-text", err.consent ? "signup-consent-error" : ""].filter(Boolean).join(" ");
  return `<form method="post" action="/subscribe" novalidate data-signup data-failed="${escapeHtml(t.failed)}">
  <input type="hidden" name="lang" value="${language}">
  <input type="hidden" name="from" value="${escapeHtml(state.from)}">
  <input type="hidden" name="policyVersion" value="${escapeHtml(state.policy.policyVersion)}">
  ${summary}
  ${missions}
  ${topics}
  ${cadence}
  ${languages}
  <div class="field${err.email ? " has-error" : ""}">
    <label for="signup-email">${t.email}</label>
    <p class="hint" id="signup-email-hint">${t.emailHint}</p>${err.email ? `\n    <p class="field-error" id="signup-email-error">${escapeHtml(err.email)}</p>` : ""}
    <input type="email" id="signup-email" name="email" value="${escapeHtml(values.email)}" autocomplete="email" spellcheck="false" required maxlength="320" aria-describedby="${emailDescribed}"${err.email ? ' aria-invalid="true"' : ""}>
  </div>
  <div class="honeypot" aria-hidden="true">
    <label for="signup-website">${t.honeypot}</label>
    <input type="text" id="signup-website" name="website" value="" tabindex="-1" autocomplete="off">
  </div>
  <div class="field${err.consent ? " has-error" : ""}">
    <p class="consent-text" id="signup-consent-text">${escapeHtml(state.policy.text[language])}</p>${err.consent ? `\n    <p class="field-error" id="signup-consent-error">${escapeHtml(err.consent)}</p>` : ""}
    <div class="check">
      <input type="checkbox" id="signup-consent" name="consent" value="yes" required aria-describedby="${consentDescribed}"${values.consent && !err.consent ? " checked" : ""}${err.consent ? ' aria-invalid="true"' : ""}>
      <label for="signup-consent">${t.consentLabel}</label>
    </div>
  </div>
  <button type="submit">${t.submit}</button>
  <p class="error" data-signup-status tabindex="-1" role="alert"></p>
</form>`;
}

/**
 * The sign-up section every public page carries (`id="signup"`): the form, the notice that replaces
 * it when functional cookies are declined or not yet chosen, or the "check your inbox" result. The
 * site script swaps this one element, so all four states render here and nowhere else.
 */
export function signupSection(language: Language, state: SignupState): string {
  const t = TEXT[language];
  let body: string;
  switch (state.kind) {
    case "form":
      body = `<p>${t.intro}</p>\n${signupForm(language, state)}`;
      break;
    case "declined":
      body = `<div class="notice">
  <p>${t.declined}</p>
  <form method="post" action="/cookies" data-cookie-form="notice" data-saved="${cookieText(language).saved}">
    <input type="hidden" name="return" value="${escapeHtml(state.returnTo)}">
    <input type="hidden" name="lang" value="${language}">
    <input type="hidden" name="choice" value="custom">
    <input type="hidden" name="functional" value="1">${state.statistics ? '\n    <input type="hidden" name="statistics" value="1">' : ""}
    <button type="submit" class="button secondary">${t.allowFunctional}</button>
  </form>
  <p><a href="${escapeHtml(cookieSettingsHref(language, state.returnTo))}">${t.declinedLink}</a></p>
</div>`;
      break;
    case "undecided":
      body = `<div class="notice">
  <p>${t.undecided}</p>
  <p><a href="${escapeHtml(cookieSettingsHref(language, state.returnTo))}">${t.undecidedLink}</a></p>
</div>`;
      break;
    case "sent":
      body = `<div class="notice success" data-result tabindex="-1">
  <h3>${t.sentTitle}</h3>
  <p>${t.sent(escapeHtml(state.email))}</p>
  <p>${t.sentMore}</p>
</div>`;
      break;
  }
  return `<section id="signup" class="signup" data-region data-state="${state.kind}" aria-labelledby="signup-title">
<h2 id="signup-title" tabindex="-1">${t.title}</h2>
${body}
</section>`;
}
