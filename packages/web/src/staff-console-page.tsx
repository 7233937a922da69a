/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ASSET_PATHS } from "./assets/asset-paths";
import { CONSOLE_LANGUAGES, FIELD_ID, ID, PREVIEW_ID, VIEW_ID, VIEWS, type AutoPauseLimits, type ConsoleData, type ConsoleLanguage, type StaffConsoleSignIn } from "./console-contract";
import { copy, fill } from "./copy";
import type { Config, Language } from "./core";
import { layout, localHref } from "./layout";
import { jsonData } from "./raw";

export type { AutoPauseLimits, ConsoleData, StaffConsoleSignIn } from "./console-contract";

/** Where the console lives and where the Hosted UI returns to (the app client's callback URL). */
export const STAFF_CONSOLE_PATH = "/staff";
export const STAFF_CALLBACK_PATH = "/staff/callback";

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

/** The automatic-pause limits from the configuration (announcement sends pause themselves above them). */
export function autoPauseLimits(cfg: Pick<Config, "AUTO_PAUSE_COMPLAINT_RATE" | "AUTO_PAUSE_BOUNCE_RATE">): AutoPauseLimits {
  return { complaintRate: cfg.AUTO_PAUSE_COMPLAINT_RATE, bounceRate: cfg.AUTO_PAUSE_BOUNCE_RATE };
}

/** The Hosted UI's sign-out URL, which returns to the console; locally, the console itself. */
export function signOutHref(signIn: StaffConsoleSignIn, language: Language): string {
  if (!signIn.authDomain || !signIn.clientId) return localHref(STAFF_CONSOLE_PATH, language);
  return `${signIn.authDomain}/logout?${new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.signOutUri })}`;
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
    <form id={ID.tokenForm} class="token-form" novalidate>
      <div class="field">
        <label for={ID.tokenInput}>{t.tokenLabel}</label>
        <p class="hint" id="token-hint">
          {t.tokenHint} <code>{t.tokenCommand}</code>
        </p>
        <textarea id={ID.tokenInput} class="token" name="token" autocomplete="off" spellcheck={false} aria-describedby="token-hint"></textarea>
      </div>
      <button type="submit">{t.tokenSubmit}</button>
    </form>
  );
  return (
    <section id={ID.signIn} class="card sign-in" aria-labelledby={ID.signInTitle} hidden>
      <h2 id={ID.signInTitle} tabindex={-1}>
        {t.heading}
      </h2>
      <p id={ID.signInError} class="alert-box" role="alert"></p>
      {props.hosted ? (
        <>
          <p>{t.intro}</p>
          <button type="button" id={ID.signInHosted}>
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
function PreviewFrames(props: { language: Language; of: ConsoleLanguage }) {
  const t = copy(props.language).console;
  const l = props.of;
  const frameTitle = (width: string) => fill(t.client.frameTitle, { language: t.client.languages[l], width });
  return (
    <section class="preview-lang" aria-labelledby={PREVIEW_ID.heading(l)}>
      <h5 id={PREVIEW_ID.heading(l)}>{t.client.languageHeadings[l]}</h5>
      <p class="preview-subject" id={PREVIEW_ID.subject(l)}></p>
      <p class="preview-note" id={PREVIEW_ID.note(l)} hidden></p>
      <figure class="device desktop">
        <figcaption>{t.compose.desktop}</figcaption>
        <iframe id={PREVIEW_ID.frame(l, "desktop")} sandbox="" title={frameTitle(t.compose.desktop)} srcdoc=""></iframe>
      </figure>
      <figure class="device mobile">
        <figcaption>{t.compose.mobile}</figcaption>
        <iframe id={PREVIEW_ID.frame(l, "mobile")} sandbox="" title={frameTitle(t.compose.mobile)} srcdoc=""></iframe>
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
    <div id={ID.editor} hidden>
      <button type="button" id={ID.backToList} class="secondary small back">
        ← {t.announcements.back}
      </button>
      <h3 id={ID.editorHeading} class="editor-heading" tabindex={-1}></h3>
      <section class="card" id={ID.progressCard} aria-labelledby={ID.progressTitle} hidden>
        <h4 id={ID.progressTitle}>{t.progress.heading}</h4>
        <div class="progress-line">
          <span id={ID.progressState} class="badge"></span>
          <span id={ID.progressText} class="progress-text"></span>
        </div>
        <progress id={ID.sendProgress} max="1" value="0" aria-labelledby={ID.progressTitle} aria-describedby={ID.progressText}></progress>
        <p id={ID.scheduledFor} hidden></p>
        <p id={ID.pausedReason} class="paused-reason" hidden></p>
        <dl class="counters" id={ID.counters}></dl>
        <div class="button-row">
          <button type="button" id={ID.pause} class="secondary" hidden>
            {t.progress.pause}
          </button>
          <button type="button" id={ID.resume} hidden>
            {t.progress.resume}
          </button>
          <button type="button" id={ID.cancel} class="danger" hidden>
            {t.progress.cancel}
          </button>
        </div>
      </section>
      <div class="card">
        <div id={ID.composeErrors} class="error-summary" role="alert" tabindex={-1} hidden></div>
        <form id={ID.composeForm} novalidate>
          <fieldset id={ID.composeFields}>
            <p class="hint">{c.languagesHint}</p>
            <div class="lang-columns">
              {CONSOLE_LANGUAGES.map((l) => (
                <fieldset>
                  <legend>{langs[l]}</legend>
                  <TextField id={FIELD_ID.title(l)} label={c.titleLabel} lang={l} maxlength={200} />
                  <div class="field" data-field={FIELD_ID.body(l)}>
                    <label for={FIELD_ID.body(l)}>{c.bodyLabel}</label>
                    <p class="hint" id={`${FIELD_ID.body(l)}-hint`}>
                      {c.bodyHint}
                    </p>
                    <textarea id={FIELD_ID.body(l)} name={FIELD_ID.body(l)} lang={l} aria-describedby={`${FIELD_ID.body(l)}-hint`}></textarea>
                  </div>
                </fieldset>
              ))}
            </div>
            <fieldset class="field" data-field="missions" id={ID.missionsFieldset} aria-describedby="missions-hint">
              <legend>{c.missions}</legend>
              <p class="hint" id="missions-hint">
                {c.missionsHint}
              </p>
              <div id={ID.missionChoices} class="mission-choices"></div>
            </fieldset>
            <fieldset>
              <legend>{c.event}</legend>
              <div class="field-row">
                <div class="field" data-field={ID.eventDate}>
                  <label for={ID.eventDate}>{c.eventDate}</label>
                  <input type="date" id={ID.eventDate} name={ID.eventDate} />
                </div>
                <div class="field" data-field={ID.eventTime}>
                  <label for={ID.eventTime}>{c.eventTime}</label>
                  <input type="time" id={ID.eventTime} name={ID.eventTime} />
                </div>
                <TextField id={ID.eventPlace} label={c.eventPlace} maxlength={200} />
              </div>
            </fieldset>
            <fieldset>
              <legend>{c.cta}</legend>
              <div class="field-row">
                <TextField id={FIELD_ID.ctaLabel("sv")} label={c.ctaLabelSv} lang="sv" maxlength={80} />
                <TextField id={FIELD_ID.ctaLabel("en")} label={c.ctaLabelEn} lang="en" maxlength={80} />
                <TextField id={ID.ctaUrl} label={c.ctaUrl} type="url" placeholder="https://" />
              </div>
            </fieldset>
            <button type="submit" id={ID.saveDraft}>
              {c.save}
            </button>
          </fieldset>
        </form>
      </div>

      <section class="preview-section" aria-labelledby={ID.previewTitle}>
        <h4 id={ID.previewTitle}>{c.preview}</h4>
        <p class="view-intro">{c.previewIntro}</p>
        <p id={ID.previewStatus} class="hint" aria-live="polite"></p>
        <div class="preview-grid">
          {CONSOLE_LANGUAGES.map((l) => (
            <PreviewFrames language={props.language} of={l} />
          ))}
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
    <section class="card" id={ID.sendCard} aria-labelledby="send-title">
      <h4 id="send-title">{t.heading}</h4>
      <p id={ID.sendHint} class="hint"></p>
      <section id={ID.checksCard} class="checks" aria-labelledby="checks-title">
        <h5 id="checks-title">{t.checksHeading}</h5>
        <p class="hint">{t.checksIntro}</p>
        <button type="button" class="secondary" id={ID.runChecks}>
          {t.runChecks}
        </button>
        <p id={ID.checksSummary} aria-live="polite"></p>
        <ul id={ID.checksList} class="checks-list"></ul>
      </section>
      <section class="approval" aria-labelledby="approval-title">
        <h5 id="approval-title">{t.approvalHeading}</h5>
        <p id={ID.reviewStatus} aria-live="polite"></p>
        <div class="button-row">
          <button type="button" id={ID.approve} hidden>
            {t.approve}
          </button>
        </div>
        <details id={ID.refuseForm} hidden>
          <summary>{t.refuse}</summary>
          <div class="field">
            <label for={ID.refuseReason}>{t.refuseReason}</label>
            <textarea id={ID.refuseReason} name="refuse-reason" maxlength={500}></textarea>
          </div>
          <button type="button" class="danger" id={ID.refuse}>
            {t.refuseSubmit}
          </button>
        </details>
        <p class="inline-error" id={ID.reviewError} role="alert"></p>
      </section>
      <div class="send-grid" id="send-grid">
        <section aria-labelledby="test-title">
          <h5 id="test-title">{t.testHeading}</h5>
          <form id={ID.testForm} novalidate>
            <div class="field">
              <label for={ID.testTo}>{t.testLabel}</label>
              <p class="hint" id="test-to-hint">
                {t.testHint}
              </p>
              <input type="text" id={ID.testTo} name="test-to" autocomplete="email" aria-describedby="test-to-hint" />
            </div>
            <button type="submit" class="secondary" id={ID.sendTest}>
              {t.testSubmit}
            </button>
            <p class="inline-error" id={ID.testError} role="alert"></p>
          </form>
        </section>
        <section aria-labelledby="go-title">
          <h5 id="go-title">{t.sendHeading}</h5>
          <form id={ID.sendForm} novalidate>
            <fieldset class="inline-choices">
              <legend class="visually-hidden">{t.sendHeading}</legend>
              <div class="check">
                <input type="radio" id="send-now" name="when" value="now" checked />
                <label for="send-now">{t.now}</label>
              </div>
              <div class="check">
                <input type="radio" id={ID.sendLater} name="when" value="later" />
                <label for={ID.sendLater}>{t.later}</label>
              </div>
            </fieldset>
            <div class="field" id={ID.sendAtField} hidden>
              <label for={ID.sendAt}>{t.when}</label>
              <p class="hint" id="send-at-hint">
                {t.whenHint}
              </p>
              <input type="datetime-local" id={ID.sendAt} name="send-at" aria-describedby="send-at-hint" />
            </div>
            <div class="check" id={ID.ackField} hidden>
              <input type="checkbox" id={ID.ackWarnings} name="ack-warnings" />
              <label for={ID.ackWarnings}>{t.ackWarnings}</label>
            </div>
            <button type="submit" id={ID.reviewSend}>
              {t.review}
            </button>
            <p class="inline-error" id={ID.sendError} role="alert"></p>
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
export function staffConsolePage(language: Language, signIn: StaffConsoleSignIn, autoPause: AutoPauseLimits): string {
  const t = copy(language).console;
  const hosted = Boolean(signIn.authDomain && signIn.clientId);
  const data: ConsoleData = { language, signIn, autoPause, text: t.client };
  const main = (
    <div id="console" class="console">
      <div class="console-head">
        <div>
          <p class="eyebrow">{t.eyebrow}</p>
          <h1>{t.title}</h1>
          <p class="lead">{t.lead}</p>
        </div>
        <div id={ID.session} class="session" hidden>
          <span id={ID.sessionWho}></span>
          <a id={ID.signOut} href={signOutHref(signIn, language)}>
            {t.signOut}
          </a>
        </div>
      </div>
      <noscript>
        <p class="notice">{t.noScript}</p>
      </noscript>
      <div id={ID.status} class="toast" role="status" aria-live="polite"></div>
      <div id={ID.alert} class="toast error" role="alert"></div>
      <SignIn language={language} hosted={hosted} />
      <div id={ID.workspace} hidden>
        <nav class="console-nav" aria-label={t.nav}>
          <ul>
            {VIEWS.map((view) => (
              <li>
                <a href={`#${view}`} data-view={view} aria-current={view === "overview" ? "page" : undefined}>
                  {t.views[view]}
                </a>
              </li>
            ))}
          </ul>
        </nav>

        <section id={VIEW_ID.section("overview")} class="view" aria-labelledby={VIEW_ID.title("overview")}>
          <h2 id={VIEW_ID.title("overview")} tabindex={-1}>
            {t.overview.heading}
          </h2>
          <div class="toolbar">
            <p class="view-intro">{t.overview.intro}</p>
            <div class="field">
              <label for={ID.statsDays}>{t.overview.period}</label>
              <select id={ID.statsDays}>
                {Object.entries(t.overview.days).map(([value, label]) => (
                  <option value={value} selected={value === "30"}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div id={ID.charts} class="charts" aria-busy="true"></div>
          <div id={ID.departures} class="departures" aria-busy="true"></div>
        </section>

        <section id={VIEW_ID.section("announcements")} class="view" aria-labelledby={VIEW_ID.title("announcements")} hidden>
          <h2 id={VIEW_ID.title("announcements")} tabindex={-1}>
            {t.announcements.heading}
          </h2>
          <div id={ID.announcementIndex}>
            <div class="toolbar">
              <p class="view-intro">{t.announcements.intro}</p>
              <button type="button" id={ID.newAnnouncement}>
                {t.announcements.create}
              </button>
            </div>
            <div id={ID.announcementList} class="card table-wrap"></div>
          </div>
          <Editor language={language} />
        </section>

        <section id={VIEW_ID.section("digests")} class="view" aria-labelledby={VIEW_ID.title("digests")} hidden>
          <h2 id={VIEW_ID.title("digests")} tabindex={-1}>
            {t.digests.heading}
          </h2>
          <p class="view-intro">{t.digests.intro}</p>
          <div class="button-row">
            <button type="button" id={ID.runWeekly} data-cadence="weekly">
              {t.digests.weekly}
            </button>
            <button type="button" id={ID.runMonthly} data-cadence="monthly" class="secondary">
              {t.digests.monthly}
            </button>
            <button type="button" id={ID.runDaily} data-cadence="daily" class="secondary">
              {t.digests.daily}
            </button>
          </div>
          <div id={ID.runList} class="card table-wrap"></div>
        </section>
      </div>

      <dialog id={ID.confirmDialog} aria-labelledby={ID.confirmTitle} aria-describedby={ID.confirmText}>
        <h2 id={ID.confirmTitle}></h2>
        <p id={ID.confirmText} class="audience"></p>
        <div class="button-row">
          <button type="button" id={ID.confirmYes}></button>
          <button type="button" id={ID.confirmNo} class="secondary">
            {t.dialogCancel}
          </button>
        </div>
      </dialog>
      <script type="application/json" id={ID.data}>
        {jsonData(data)}
      </script>
    </div>
  );
  return layout(language, t.title, main, {
    path: STAFF_CONSOLE_PATH,
    wide: true,
    scripts: [ASSET_PATHS.chartJs, ASSET_PATHS.consoleJs],
    styles: [ASSET_PATHS.consoleCss],
  });
}
