/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy, fill } from "./copy";
import type { Config, Language } from "./core";
import { CONSOLE_STYLE } from "./console-style";
import { layout, localHref } from "./layout";
import { jsonData } from "./raw";
import { STAFF_CONSOLE_SCRIPT_PATH } from "./staff-console-script";
import { CHART_JS_PATH } from "./vendor/chart-js";

/** Where the console lives and where the Hosted UI returns to (the app client's callback URL). */
export const STAFF_CONSOLE_PATH = "/staff";
export const STAFF_CALLBACK_PATH = "/staff/callback";

/**
 * What the console's script needs to sign staff in, all of it public: the Hosted UI and the app
 * client (a public client, no secret) when there is one, and the URLs Cognito returns to.
 */
export interface StaffConsoleSignIn {
  /** The Hosted UI's base URL, where the authorization-code flow with PKCE runs; absent locally. */
  authDomain?: string;
  clientId?: string;
  /** Where the Hosted UI sends the code: `<PUBLIC_URL>/staff/callback`. */
  redirectUri: string;
  /** Where the Hosted UI's sign-out returns to: `<PUBLIC_URL>/staff`. */
  signOutUri: string;
  /** The local cloud: staff sign in with a token from the local issuer. */
  local: boolean;
}

/** The console's sign-in settings from the configuration; the Hosted UI only where both its domain and client are set. */
export function staffConsoleSignIn(cfg: Pick<Config, "MODE" | "PUBLIC_URL" | "STAFF_AUTH_DOMAIN" | "STAFF_CLIENT_ID">): StaffConsoleSignIn {
  const base = cfg.PUBLIC_URL.replace(/\/+$/, "");
  const hosted = cfg.STAFF_AUTH_DOMAIN && cfg.STAFF_CLIENT_ID ? { authDomain: cfg.STAFF_AUTH_DOMAIN.replace(/\/+$/, ""), clientId: cfg.STAFF_CLIENT_ID } : {};
  return { ...hosted, redirectUri: `${base}${STAFF_CALLBACK_PATH}`, signOutUri: `${base}${STAFF_CONSOLE_PATH}`, local: cfg.MODE === "local" };
}

/**
 * The console's Content-Security-Policy: the site's (same-origin scripts only, no inline script),
 * plus the Hosted UI's token endpoint for `fetch`, and images from anywhere for the email previews,
 * which render in sandboxed frames without scripts.
 */
export function staffConsoleCsp(signIn: Pick<StaffConsoleSignIn, "authDomain">): string {
  const connect = signIn.authDomain ? ` ${new URL(signIn.authDomain).origin}` : "";
  return `default-src 'self'; script-src 'self'; connect-src 'self'${connect}; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
}

/** The Hosted UI's sign-out URL, which returns to the console; locally, the console itself. */
export function signOutHref(signIn: StaffConsoleSignIn, language: Language): string {
  if (!signIn.authDomain || !signIn.clientId) return localHref(STAFF_CONSOLE_PATH, language);
  return `${signIn.authDomain}/logout?${new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.signOutUri })}`;
}

/** What the console's script reads from the page's `#console-data` block. */
export interface ConsoleData {
  language: Language;
  signIn: StaffConsoleSignIn;
  text: ReturnType<typeof copy>["console"]["client"];
}

/** A labelled text field. */
function TextField(props: { id: string; label: string; lang?: Language; maxlength?: number; type?: "text" | "url"; placeholder?: string }) {
  return (
    <div class="field" data-field={props.id}>
      <label for={props.id}>{props.label}</label>
      <input type={props.type ?? "text"} id={props.id} name={props.id} lang={props.lang} maxlength={props.maxlength} placeholder={props.placeholder} />
    </div>
  );
}

/** The sign-in card: the Hosted UI's button where there is one, and the token form (locally, or folded away). */
function SignIn(props: { language: Language; hosted: boolean }) {
  const t = copy(props.language).console.signIn;
  const tokenForm = (
    <form id="token-form" class="token-form" novalidate>
      <div class="field">
        <label for="token-input">{t.tokenLabel}</label>
        <p class="hint" id="token-hint">
          {t.tokenHint} <code>{t.tokenCommand}</code>
        </p>
        <textarea id="token-input" class="token" name="token" autocomplete="off" spellcheck={false} aria-describedby="token-hint"></textarea>
      </div>
      <button type="submit">{t.tokenSubmit}</button>
    </form>
  );
  return (
    <section id="sign-in" class="card sign-in" aria-labelledby="sign-in-title" hidden>
      <h2 id="sign-in-title" tabindex={-1}>
        {t.heading}
      </h2>
      <p id="sign-in-error" class="alert-box" role="alert"></p>
      {props.hosted ? (
        <>
          <p>{t.intro}</p>
          <button type="button" id="sign-in-hosted">
            {t.hosted}
          </button>
          <details>
            <summary>{t.otherWay}</summary>
            {tokenForm}
          </details>
        </>
      ) : (
        <>
          <p>{t.localIntro}</p>
          {tokenForm}
        </>
      )}
    </section>
  );
}

/** One language's previews: the subject, a note when it falls back, and the email at two widths. */
function PreviewFrames(props: { language: Language; of: Language }) {
  const t = copy(props.language).console;
  const l = props.of;
  const frameTitle = (width: string) => fill(t.client.frameTitle, { language: t.client.languages[l], width });
  return (
    <section class="preview-lang" aria-labelledby={`preview-${l}-heading`}>
      <h5 id={`preview-${l}-heading`}>{t.client.languageHeadings[l]}</h5>
      <p class="preview-subject" id={`preview-${l}-subject`}></p>
      <p class="preview-note" id={`preview-${l}-note`} hidden></p>
      <figure class="device desktop">
        <figcaption>{t.compose.desktop}</figcaption>
        <iframe id={`preview-${l}-desktop`} sandbox="" title={frameTitle(t.compose.desktop)} srcdoc=""></iframe>
      </figure>
      <figure class="device mobile">
        <figcaption>{t.compose.mobile}</figcaption>
        <iframe id={`preview-${l}-mobile`} sandbox="" title={frameTitle(t.compose.mobile)} srcdoc=""></iframe>
      </figure>
    </section>
  );
}

/** The announcement editor: progress, the compose form, the live preview, and test and send. */
function Editor(props: { language: Language }) {
  const t = copy(props.language).console;
  const c = t.compose;
  const langs = t.client.languageHeadings;
  return (
    <div id="editor" hidden>
      <button type="button" id="back-to-list" class="secondary small back">
        ← {t.announcements.back}
      </button>
      <h3 id="editor-heading" class="editor-heading" tabindex={-1}></h3>
      <section class="card" id="progress-card" aria-labelledby="progress-title" hidden>
        <h4 id="progress-title">{t.progress.heading}</h4>
        <div class="progress-line">
          <span id="progress-state" class="badge"></span>
          <span id="progress-text" class="progress-text"></span>
        </div>
        <progress id="send-progress" max="1" value="0" aria-labelledby="progress-title" aria-describedby="progress-text"></progress>
        <p id="scheduled-for" hidden></p>
        <p id="paused-reason" class="paused-reason" hidden></p>
        <dl class="counters" id="counters"></dl>
        <div class="button-row">
          <button type="button" id="pause" class="secondary" hidden>
            {t.progress.pause}
          </button>
          <button type="button" id="resume" hidden>
            {t.progress.resume}
          </button>
          <button type="button" id="cancel" class="danger" hidden>
            {t.progress.cancel}
          </button>
        </div>
      </section>
      <div class="card">
        <div id="compose-errors" class="error-summary" role="alert" tabindex={-1} hidden></div>
        <form id="compose-form" novalidate>
          <fieldset id="compose-fields">
            <p class="hint">{c.languagesHint}</p>
            <div class="lang-columns">
              {(["sv", "en"] as const).map((l) => (
                <fieldset>
                  <legend>{langs[l]}</legend>
                  <TextField id={`title-${l}`} label={c.titleLabel} lang={l} maxlength={200} />
                  <div class="field" data-field={`body-${l}`}>
                    <label for={`body-${l}`}>{c.bodyLabel}</label>
                    <p class="hint" id={`body-${l}-hint`}>
                      {c.bodyHint}
                    </p>
                    <textarea id={`body-${l}`} name={`body-${l}`} lang={l} aria-describedby={`body-${l}-hint`}></textarea>
                  </div>
                </fieldset>
              ))}
            </div>
            <fieldset class="field" data-field="missions" id="missions-fieldset" aria-describedby="missions-hint">
              <legend>{c.missions}</legend>
              <p class="hint" id="missions-hint">
                {c.missionsHint}
              </p>
              <div id="mission-choices" class="mission-choices"></div>
            </fieldset>
            <fieldset>
              <legend>{c.event}</legend>
              <div class="field-row">
                <div class="field" data-field="event-date">
                  <label for="event-date">{c.eventDate}</label>
                  <input type="date" id="event-date" name="event-date" />
                </div>
                <div class="field" data-field="event-time">
                  <label for="event-time">{c.eventTime}</label>
                  <input type="time" id="event-time" name="event-time" />
                </div>
                <TextField id="event-place" label={c.eventPlace} maxlength={200} />
              </div>
            </fieldset>
            <fieldset>
              <legend>{c.cta}</legend>
              <div class="field-row">
                <TextField id="cta-label-sv" label={c.ctaLabelSv} lang="sv" maxlength={80} />
                <TextField id="cta-label-en" label={c.ctaLabelEn} lang="en" maxlength={80} />
                <TextField id="cta-url" label={c.ctaUrl} type="url" placeholder="https://" />
              </div>
            </fieldset>
            <button type="submit" id="save-draft">
              {c.save}
            </button>
          </fieldset>
        </form>
      </div>

      <section class="preview-section" aria-labelledby="preview-title">
        <h4 id="preview-title">{c.preview}</h4>
        <p class="view-intro">{c.previewIntro}</p>
        <p id="preview-status" class="hint" aria-live="polite"></p>
        <div class="preview-grid">
          <PreviewFrames language={props.language} of="sv" />
          <PreviewFrames language={props.language} of="en" />
        </div>
      </section>

      <SendCard language={props.language} />
    </div>
  );
}

/** Test send, and send now or schedule (after a confirmation that states the audience). */
function SendCard(props: { language: Language }) {
  const t = copy(props.language).console.send;
  return (
    <section class="card" id="send-card" aria-labelledby="send-title">
      <h4 id="send-title">{t.heading}</h4>
      <p id="send-hint" class="hint"></p>
      <div class="send-grid" id="send-grid">
        <section aria-labelledby="test-title">
          <h5 id="test-title">{t.testHeading}</h5>
          <form id="test-form" novalidate>
            <div class="field">
              <label for="test-to">{t.testLabel}</label>
              <p class="hint" id="test-to-hint">
                {t.testHint}
              </p>
              <input type="text" id="test-to" name="test-to" autocomplete="email" aria-describedby="test-to-hint" />
            </div>
            <button type="submit" class="secondary" id="send-test">
              {t.testSubmit}
            </button>
            <p class="inline-error" id="test-error" role="alert"></p>
          </form>
        </section>
        <section aria-labelledby="go-title">
          <h5 id="go-title">{t.sendHeading}</h5>
          <form id="send-form" novalidate>
            <fieldset class="inline-choices">
              <legend class="visually-hidden">{t.sendHeading}</legend>
              <div class="check">
                <input type="radio" id="send-now" name="when" value="now" checked />
                <label for="send-now">{t.now}</label>
              </div>
              <div class="check">
                <input type="radio" id="send-later" name="when" value="later" />
                <label for="send-later">{t.later}</label>
              </div>
            </fieldset>
            <div class="field" id="send-at-field" hidden>
              <label for="send-at">{t.when}</label>
              <p class="hint" id="send-at-hint">
                {t.whenHint}
              </p>
              <input type="datetime-local" id="send-at" name="send-at" aria-describedby="send-at-hint" />
            </div>
            <button type="submit" id="review-send">
              {t.review}
            </button>
            <p class="inline-error" id="send-error" role="alert"></p>
          </form>
        </section>
      </div>
    </section>
  );
}

/**
 * The staff console: a server-rendered shell in Swedish or English that its script (a same-origin
 * file; the page allows no inline script) fills from the staff API with the signed-in person's token.
 * Until someone is signed in, only the sign-in is shown. The page itself holds nothing secret, so it
 * is public: its settings are the public client's, and every call it makes carries the bearer token.
 */
export function staffConsolePage(language: Language, signIn: StaffConsoleSignIn): string {
  const t = copy(language).console;
  const hosted = Boolean(signIn.authDomain && signIn.clientId);
  const data: ConsoleData = { language, signIn, text: t.client };
  const main = (
    <div id="console" class="console">
      <div class="console-head">
        <div>
          <p class="eyebrow">{t.eyebrow}</p>
          <h1>{t.title}</h1>
          <p class="lead">{t.lead}</p>
        </div>
        <div id="session" class="session" hidden>
          <span id="session-who"></span>
          <a id="sign-out" href={signOutHref(signIn, language)}>
            {t.signOut}
          </a>
        </div>
      </div>
      <noscript>
        <p class="notice">{t.noScript}</p>
      </noscript>
      <div id="console-status" class="toast" role="status" aria-live="polite"></div>
      <div id="console-alert" class="toast error" role="alert"></div>
      <SignIn language={language} hosted={hosted} />
      <div id="workspace" hidden>
        <nav class="console-nav" aria-label={t.nav}>
          <ul>
            <li>
              <a href="#overview" data-view="overview" aria-current="page">
                {t.views.overview}
              </a>
            </li>
            <li>
              <a href="#announcements" data-view="announcements">
                {t.views.announcements}
              </a>
            </li>
            <li>
              <a href="#digests" data-view="digests">
                {t.views.digests}
              </a>
            </li>
          </ul>
        </nav>

        <section id="view-overview" class="view" aria-labelledby="overview-title">
          <h2 id="overview-title" tabindex={-1}>
            {t.overview.heading}
          </h2>
          <div class="toolbar">
            <p class="view-intro">{t.overview.intro}</p>
            <div class="field">
              <label for="stats-days">{t.overview.period}</label>
              <select id="stats-days">
                {Object.entries(t.overview.days).map(([value, label]) => (
                  <option value={value} selected={value === "30"}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div id="charts" class="chart-grid" aria-busy="true"></div>
        </section>

        <section id="view-announcements" class="view" aria-labelledby="announcements-title" hidden>
          <h2 id="announcements-title" tabindex={-1}>
            {t.announcements.heading}
          </h2>
          <div id="announcement-index">
            <div class="toolbar">
              <p class="view-intro">{t.announcements.intro}</p>
              <button type="button" id="new-announcement">
                {t.announcements.create}
              </button>
            </div>
            <div id="announcement-list" class="card table-wrap"></div>
          </div>
          <Editor language={language} />
        </section>

        <section id="view-digests" class="view" aria-labelledby="digests-title" hidden>
          <h2 id="digests-title" tabindex={-1}>
            {t.digests.heading}
          </h2>
          <p class="view-intro">{t.digests.intro}</p>
          <div class="button-row">
            <button type="button" id="run-weekly" data-cadence="weekly">
              {t.digests.weekly}
            </button>
            <button type="button" id="run-monthly" data-cadence="monthly" class="secondary">
              {t.digests.monthly}
            </button>
          </div>
          <div id="run-list" class="card table-wrap"></div>
        </section>
      </div>

      <dialog id="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <h2 id="confirm-title"></h2>
        <p id="confirm-text" class="audience"></p>
        <div class="button-row">
          <button type="button" id="confirm-yes"></button>
          <button type="button" id="confirm-no" class="secondary">
            {t.dialogCancel}
          </button>
        </div>
      </dialog>
      <script type="application/json" id="console-data">
        {jsonData(data)}
      </script>
    </div>
  );
  return layout(language, t.title, main, {
    path: STAFF_CONSOLE_PATH,
    wide: true,
    scripts: [CHART_JS_PATH, STAFF_CONSOLE_SCRIPT_PATH],
    style: CONSOLE_STYLE,
  });
}
