/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { CadencePerMission } from "./cadence-per-mission";
import { CookieFormContext, cookieSettingsHref } from "./cookie-consent";
import { copy, fillParts } from "./copy";
import { CADENCES, LANGUAGES, TOPICS, type Cadence, type FieldProblem, type Language, type Mission, type Topic } from "./core";

/** What the sign-up form holds: its defaults, or what the visitor sent back. */
export interface SignupValues {
  email: string;
  language: Language;
  missions: string[];
  topics: Topic[];
  cadence: Cadence;
  /** Missions whose cadence differs from `cadence` ("each mission separately"). */
  cadenceByMission?: Record<string, Cadence>;
  consent: boolean;
}

/** The form's fields that can carry an error. */
export type SignupField = "email" | "missions" | "topics" | "cadence" | "cadenceByMission" | "language" | "consent";

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

/** The sign-up section's words, for pages around it. */
export const signupText = (language: Language) => copy(language).signup;

/**
 * Turns a refusal of the sign-up use case (its code and field problems) into messages for the
 * form's fields, in the visitor's language. The use case's own messages are for API clients.
 */
export function signupErrors(language: Language, code: string, fields: FieldProblem[] = [], values?: Pick<SignupValues, "email" | "consent">): SignupErrors {
  const e = copy(language).signupErrors;
  const out: SignupErrors = { fields: {} };
  for (const { field } of fields) {
    const top = field.split(".")[0]!;
    if (top === "email") out.fields.email = values && !values.email.trim() ? e.emailMissing : e.email;
    else if (top === "missions") out.fields.missions = field === "missions" ? e.missions : e.missionsUnknown;
    else if (top === "topics") out.fields.topics = e.topics;
    else if (top === "cadence") out.fields.cadence = e.cadence;
    else if (top === "cadenceByMission") out.fields.cadenceByMission = e.cadenceByMission;
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

const FIELD_ORDER: SignupField[] = ["missions", "topics", "cadence", "cadenceByMission", "language", "email", "consent"];

/** Ids joined for `aria-describedby`, or nothing when there are none. */
const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

/** A fieldset of checkboxes or radios with its legend, hint and error. */
function ChoiceList<T extends string>(props: {
  name: SignupField;
  legend: string;
  options: { value: T; label: string; lang?: Language }[];
  checked: (value: T) => boolean;
  type: "checkbox" | "radio";
  error: string | undefined;
  hint?: string;
}) {
  const id = `signup-${props.name}`;
  return (
    <fieldset id={id} class={props.error ? "has-error" : ""} aria-describedby={describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`)}>
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
      {props.options.map((o, i) => (
        <div class="check">
          <input type={props.type} id={`${id}-${i}`} name={props.name} value={o.value} checked={props.checked(o.value)} />
          <label for={`${id}-${i}`} lang={o.lang}>
            {o.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** Where the error summary's link for a field points: its input, or its first choice. */
const fieldAnchor = (field: SignupField) => (field === "email" || field === "consent" ? `#signup-${field}` : field === "cadenceByMission" ? "#signup-cadence-by-mission" : `#signup-${field}-0`);

function SignupForm(props: { language: Language; state: Extract<SignupState, { kind: "form" }> }) {
  const { language, state } = props;
  const t = copy(language).signup;
  const c = copy(language).choices;
  const topics = copy(language).topics;
  const { values, errors } = state;
  const err = errors?.fields ?? {};
  const problems = FIELD_ORDER.filter((f) => err[f]);
  const active = state.missions.filter((m) => m.status === "active");
  return (
    <form method="post" action="/subscribe" novalidate data-signup data-failed={t.failed}>
      <input type="hidden" name="lang" value={language} />
      <input type="hidden" name="from" value={state.from} />
      <input type="hidden" name="policyVersion" value={state.policy.policyVersion} />
      {problems.length || errors?.general ? (
        <div class="error-summary" tabindex={-1} aria-labelledby="signup-error-title">
          <h3 id="signup-error-title">{t.summary}</h3>
          <ul>
            {errors?.general ? <li>{errors.general}</li> : null}
            {problems.map((f) => (
              <li>
                <a href={fieldAnchor(f)}>{err[f]}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ChoiceList
        name="missions"
        legend={c.missions}
        options={active.map((m) => ({ value: m.id, label: m.name[language] }))}
        checked={(id) => values.missions.includes(id)}
        type="checkbox"
        error={err.missions}
        hint={c.missionsHint}
      />
      <ChoiceList name="topics" legend={c.topics} options={TOPICS.map((v) => ({ value: v, label: topics[v] }))} checked={(v) => values.topics.includes(v)} type="checkbox" error={err.topics} />
      <ChoiceList name="cadence" legend={c.cadence} options={CADENCES.map((v) => ({ value: v, label: c.cadences[v] }))} checked={(v) => values.cadence === v} type="radio" error={err.cadence} />
      <CadencePerMission
        language={language}
        idPrefix="signup"
        missions={active.map((m) => ({ id: m.id, name: m.name[language] }))}
        values={values.cadenceByMission}
        labels={c.cadences}
        error={err.cadenceByMission}
      />
      <ChoiceList
        name="language"
        legend={c.language}
        options={LANGUAGES.map((v) => ({ value: v, label: c.languageNames[v], ...(v !== language ? { lang: v } : {}) }))}
        checked={(v) => values.language === v}
        type="radio"
        error={err.language}
      />
      <div class={`field${err.email ? " has-error" : ""}`}>
        <label for="signup-email">{t.email}</label>
        <p class="hint" id="signup-email-hint">
          {t.emailHint}
        </p>
        {err.email ? (
          <p class="field-error" id="signup-email-error">
            {err.email}
          </p>
        ) : null}
        <input
          type="email"
          id="signup-email"
          name="email"
          value={values.email}
          autocomplete="email"
          spellcheck={false}
          required
          maxlength={320}
          aria-describedby={describedBy("signup-email-hint", err.email && "signup-email-error")}
          aria-invalid={err.email ? "true" : undefined}
        />
      </div>
      <div class="honeypot" aria-hidden="true">
        <label for="signup-website">{t.honeypot}</label>
        <input type="text" id="signup-website" name="website" value="" tabindex={-1} autocomplete="off" />
      </div>
      <div class={`field${err.consent ? " has-error" : ""}`}>
        <p class="consent-text" id="signup-consent-text">
          {state.policy.text[language]}
        </p>
        {err.consent ? (
          <p class="field-error" id="signup-consent-error">
            {err.consent}
          </p>
        ) : null}
        <div class="check">
          <input
            type="checkbox"
            id="signup-consent"
            name="consent"
            value="yes"
            required
            aria-describedby={describedBy("signup-consent-text", err.consent && "signup-consent-error")}
            checked={values.consent && !err.consent}
            aria-invalid={err.consent ? "true" : undefined}
          />
          <label for="signup-consent">{t.consentLabel}</label>
        </div>
      </div>
      <button type="submit">{t.submit}</button>
      <p class="error" data-signup-status tabindex={-1} role="alert"></p>
    </form>
  );
}

/** What replaces the form: the cookie notices and the "check your inbox" result. */
function SignupBody(props: { language: Language; state: SignupState }) {
  const { language, state } = props;
  const t = copy(language).signup;
  switch (state.kind) {
    case "form":
      return (
        <>
          <p>{t.intro}</p>
          <SignupForm language={language} state={state} />
        </>
      );
    case "declined":
      return (
        <div class="notice">
          <p>{t.declined}</p>
          <form method="post" action="/cookies" data-cookie-form="notice" data-saved={copy(language).cookies.saved}>
            <CookieFormContext language={language} returnTo={state.returnTo} />
            <input type="hidden" name="choice" value="custom" />
            <input type="hidden" name="functional" value="1" />
            {state.statistics ? <input type="hidden" name="statistics" value="1" /> : null}
            <button type="submit" class="button secondary">
              {t.allowFunctional}
            </button>
          </form>
          <p>
            <a href={cookieSettingsHref(language, state.returnTo)}>{t.declinedLink}</a>
          </p>
        </div>
      );
    case "undecided":
      return (
        <div class="notice">
          <p>{t.undecided}</p>
          <p>
            <a href={cookieSettingsHref(language, state.returnTo)}>{t.undecidedLink}</a>
          </p>
        </div>
      );
    case "sent":
      return (
        <div class="notice success" data-result tabindex={-1}>
          <h3>{t.sentTitle}</h3>
          <p>{fillParts(t.sent, { email: <strong>{state.email}</strong> })}</p>
          <p>{t.sentMore}</p>
        </div>
      );
  }
}

/**
 * The sign-up section every public page carries (`id="signup"`): the form, the notice that replaces
 * it when functional cookies are declined or not yet chosen, or the "check your inbox" result. The
 * site script swaps this one element, so all four states render here and nowhere else.
 */
export function SignupSection(props: { language: Language; state: SignupState }) {
  return (
    <section id="signup" class="signup" data-region data-state={props.state.kind} aria-labelledby="signup-title">
      <h2 id="signup-title" tabindex={-1}>
        {copy(props.language).signup.title}
      </h2>
      <SignupBody language={props.language} state={props.state} />
    </section>
  );
}
