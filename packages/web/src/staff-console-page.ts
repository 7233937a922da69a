import type { Config } from "@mission-mail/core/platform/config";
import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { layout, localHref } from "./layout";
import { STAFF_CONSOLE_SCRIPT_PATH } from "./staff-console-script";
import { STAFF_CONSOLE_TEXT } from "./staff-console-text";
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

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

const STYLE = `
  .container { max-width: 84rem; }
  .console-head { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 1rem 2rem; margin-bottom: 1.5rem; }
  .console-head h1 { margin-bottom: .25rem; }
  .console-head .lead { margin: 0; font-size: 1.1rem; }
  .session { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 999px; padding: .45rem .6rem .45rem 1.1rem; font-size: .95rem; }
  .session strong { font-weight: 700; }
  .session a { font-weight: 600; padding: .25rem .75rem; border-radius: 999px; background: #e9f0f7; text-decoration: none; }
  .session a:hover { background: #d7e5f2; }
  .console-nav { margin: 0 0 1.5rem; border-bottom: 2px solid var(--line); }
  .console-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: 0; }
  .console-nav a { display: inline-block; padding: .7rem 1.1rem; font-weight: 700; text-decoration: none; color: var(--muted); border-bottom: 4px solid transparent; margin-bottom: -2px; border-radius: 6px 6px 0 0; }
  .console-nav a:hover { color: var(--brand-dark); background: #e9f0f7; }
  .console-nav a[aria-current="page"] { color: var(--brand-dark); border-bottom-color: var(--brand); background: #fff; }
  .view > h2 { margin-top: 0; }
  .view-intro { color: var(--muted); max-width: 52rem; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: clamp(1rem, 2.5vw, 1.75rem); margin-bottom: 1.5rem; box-shadow: 0 1px 2px rgba(10, 43, 74, .06); }
  .card > h2:first-child, .card > h3:first-child, .card > h4:first-child { margin-top: 0; }
  .card h4, .preview-section h4 { font-size: 1.25rem; margin: 0 0 .5rem; }
  .editor-heading { font-size: clamp(1.3rem, 1.1rem + .8vw, 1.6rem); margin: 0 0 1rem; }
  .toolbar { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 1rem; margin-bottom: 1.25rem; }
  .toolbar .field { margin: 0; }
  button.secondary { background: #fff; color: var(--brand); }
  button.secondary:hover { background: #e9f0f7; color: var(--brand-dark); }
  button.danger { background: #fff; color: var(--error); border-color: var(--error); }
  button.danger:hover { background: #fbeaea; color: #8c1d18; border-color: #8c1d18; }
  button.small { padding: .4rem .8rem; font-size: .95rem; }
  button[disabled] { opacity: .55; cursor: not-allowed; }
  textarea, select, input[type="date"], input[type="time"], input[type="url"], input[type="datetime-local"], input[type="password"] { font: inherit; width: 100%; padding: .6rem .75rem; border: 2px solid var(--ink); border-radius: 4px; background: #fff; color: var(--ink); }
  select { width: auto; }
  textarea { min-height: 12rem; resize: vertical; line-height: 1.5; }
  textarea.token { min-height: 6rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
  input[type="text"] { max-width: none; }
  .field-row { display: grid; gap: 0 1.25rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); }
  .lang-columns { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 56rem) { .lang-columns { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
  .lang-columns fieldset { background: var(--bg); border-radius: 8px; padding: 1rem 1.25rem .25rem; }
  .lang-columns legend { float: left; width: 100%; margin-bottom: .75rem; }
  .lang-columns legend + * { clear: both; }
  .mission-choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .25rem 1.5rem; }
  .field.has-error { border-left: 4px solid var(--error); padding-left: 1rem; }
  .field.has-error input, .field.has-error textarea { border-color: var(--error); }
  .badge { display: inline-block; font-size: .8rem; font-weight: 700; letter-spacing: .03em; text-transform: uppercase; padding: .15rem .6rem; border-radius: 999px; background: #e4e8ed; color: #2d3540; white-space: nowrap; }
  .badge.state-scheduled { background: #ece6f6; color: #4a2f7a; }
  .badge.state-sending, .badge.state-planning, .badge.state-queued { background: #dcebf8; color: #08365f; }
  .badge.state-paused { background: #fdf0d5; color: #6b4500; }
  .badge.state-cancelled, .badge.state-failed { background: #fbe4e2; color: #8c1d18; }
  .badge.state-done { background: #dff0e5; color: #14532d; }
  table.data { width: 100%; border-collapse: collapse; font-size: .97rem; }
  table.data caption { text-align: left; font-weight: 700; padding-bottom: .5rem; }
  table.data th, table.data td { text-align: left; padding: .6rem .75rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
  table.data thead th { font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom-width: 2px; }
  table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
  table.data tbody tr:hover { background: #f7f9fb; }
  table.data tr.run-notes td { font-size: .9rem; padding-top: 0; }
  table.data tr.run-notes ul { margin: 0; padding-left: 1.25rem; }
  .table-wrap { overflow-x: auto; }
  .empty { color: var(--muted); font-style: italic; }
  .chart-grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 30rem), 1fr)); }
  .chart-card { min-width: 0; background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--brand); border-radius: 10px; padding: 1.1rem 1.25rem 1rem; }
  .chart-card h3 { margin: 0 0 .5rem; }
  .figures { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: 0 0 .75rem; padding: 0; list-style: none; color: var(--muted); font-size: .92rem; }
  .figures strong { display: block; color: var(--ink); font-size: 1.35rem; font-variant-numeric: tabular-nums; line-height: 1.2; }
  .chart-box { position: relative; height: 16rem; }
  .preview-grid { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 78rem) { .preview-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; } }
  .preview-lang h5 { margin: 0 0 .25rem; font-size: 1.1rem; }
  .preview-subject { margin: 0 0 .75rem; color: var(--muted); font-size: .95rem; min-height: 1.5em; }
  .preview-note { border-left: 4px solid var(--brand); background: #e9f0f7; padding: .5rem .75rem; font-size: .95rem; }
  .device { margin: 0 0 1.25rem; }
  .device figcaption { font-size: .85rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-bottom: .35rem; }
  .preview-section { margin: 0 0 1.5rem; padding: 1.25rem 0 0; border-top: 1px solid var(--line); }
  .preview-section .view-intro { margin-bottom: .25rem; }
  .device iframe { display: block; box-sizing: content-box; border: 1px solid var(--line); background: #fff; border-radius: 6px; max-width: calc(100% - 2px); box-shadow: 0 6px 18px rgba(10, 43, 74, .12); }
  .device.desktop iframe { width: 600px; height: 40rem; }
  .device.mobile iframe { width: 375px; height: 36rem; border: 10px solid #1b1f24; border-radius: 24px; max-width: calc(100% - 20px); }
  .send-grid { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 60rem) { .send-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
  .send-grid > section { background: var(--bg); border-radius: 8px; padding: 1rem 1.25rem; }
  .send-grid h5 { margin: 0 0 .75rem; font-size: 1.1rem; }
  progress { width: 100%; height: 1.25rem; accent-color: var(--brand); }
  .progress-line { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1rem; margin-bottom: .5rem; }
  .progress-text { font-weight: 700; font-variant-numeric: tabular-nums; }
  .counters { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .75rem; margin: 1rem 0; }
  .counters div { background: var(--bg); border-radius: 8px; padding: .6rem .8rem; }
  .counters dt { font-size: .85rem; color: var(--muted); }
  .counters dd { margin: 0; font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  .paused-reason { border-left: 6px solid #b36b00; background: #fdf0d5; padding: .75rem 1rem; border-radius: 0 6px 6px 0; font-weight: 600; }
  .toast:empty, .alert-box:empty { display: none; }
  .toast { position: fixed; right: 1.25rem; bottom: 1.25rem; z-index: 20; max-width: min(30rem, calc(100vw - 2.5rem)); border-left: 6px solid var(--ok); background: #e8f3ec; padding: .85rem 1.1rem; font-weight: 600; border-radius: 6px; box-shadow: 0 8px 24px rgba(10, 43, 74, .22); }
  .toast.error, .alert-box { border-left: 6px solid var(--error); background: #fbeaea; color: #8c1d18; }
  .alert-box { padding: .75rem 1rem; margin-bottom: 1rem; font-weight: 600; border-radius: 0 6px 6px 0; }
  .inline-error:empty { display: none; }
  .inline-error { color: var(--error); font-weight: 700; margin: .5rem 0 0; }
  .sign-in { max-width: 40rem; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; background: #e9eef3; color: var(--ink); padding: .1rem .35rem; border-radius: 4px; overflow-wrap: anywhere; }
  .sign-in details { margin-top: 1.5rem; }
  .sign-in summary { cursor: pointer; color: var(--brand); font-weight: 600; text-decoration: underline; }
  dialog { border: 0; border-radius: 12px; padding: 1.75rem; max-width: min(34rem, calc(100vw - 2rem)); box-shadow: 0 20px 50px rgba(10, 43, 74, .35); color: var(--ink); }
  dialog::backdrop { background: rgba(10, 43, 74, .55); }
  dialog h2 { margin-top: 0; font-size: 1.4rem; }
  .audience { font-size: 1.1rem; }
  .back { margin-bottom: 1rem; }
  [hidden] { display: none !important; }
  @media (max-width: 40rem) { .session { border-radius: 10px; } .console-nav a { padding: .6rem .7rem; } .device.mobile iframe { width: calc(100% - 20px); } }
  @media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto !important; } }
`;

/** A labelled text field. */
const input = (id: string, label: string, attrs = "") =>
  `<div class="field" data-field="${id}"><label for="${id}">${escapeHtml(label)}</label><input type="text" id="${id}" name="${id}"${attrs}></div>`;

/**
 * The staff console: a server-rendered shell in Swedish or English that its script (a same-origin
 * file; the page allows no inline script) fills from the staff API with the signed-in person's token.
 * Until someone is signed in, only the sign-in is shown. The page itself holds nothing secret, so it
 * is public: its settings are the public client's, and every call it makes carries the bearer token.
 */
export function staffConsolePage(language: Language, signIn: StaffConsoleSignIn): string {
  const t = STAFF_CONSOLE_TEXT[language];
  const hosted = Boolean(signIn.authDomain && signIn.clientId);
  const tokenForm = `<form id="token-form" class="token-form" novalidate>
  <div class="field"><label for="token-input">${escapeHtml(t.signIn.tokenLabel)}</label>
    <p class="hint" id="token-hint">${escapeHtml(t.signIn.tokenHint)} <code>${escapeHtml(t.signIn.tokenCommand)}</code></p>
    <textarea id="token-input" class="token" name="token" autocomplete="off" spellcheck="false" aria-describedby="token-hint"></textarea></div>
  <button type="submit">${escapeHtml(t.signIn.tokenSubmit)}</button>
</form>`;
  const signInSection = `<section id="sign-in" class="card sign-in" aria-labelledby="sign-in-title" hidden>
  <h2 id="sign-in-title" tabindex="-1">${escapeHtml(t.signIn.heading)}</h2>
  <p id="sign-in-error" class="alert-box" role="alert"></p>
  ${
    hosted
      ? `<p>${escapeHtml(t.signIn.intro)}</p>
  <button type="button" id="sign-in-hosted">${escapeHtml(t.signIn.hosted)}</button>
  <details><summary>${escapeHtml(t.signIn.otherWay)}</summary>${tokenForm}</details>`
      : `<p>${escapeHtml(t.signIn.localIntro)}</p>
  ${tokenForm}`
  }
</section>`;

  const views = t.views;
  const c = t.compose;
  const days = Object.entries(t.overview.days)
    .map(([value, label]) => `<option value="${value}"${value === "30" ? " selected" : ""}>${escapeHtml(label)}</option>`)
    .join("");
  const frames = (["sv", "en"] as const)
    .map((l) => {
      const name = t.client.languages[l];
      const frameTitle = (width: string) => escapeHtml(t.client.frameTitle.replace("{language}", name).replace("{width}", width));
      return `<section class="preview-lang" aria-labelledby="preview-${l}-heading">
      <h5 id="preview-${l}-heading">${escapeHtml(t.client.languageHeadings[l])}</h5>
      <p class="preview-subject" id="preview-${l}-subject"></p>
      <p class="preview-note" id="preview-${l}-note" hidden></p>
      <figure class="device desktop"><figcaption>${escapeHtml(c.desktop)}</figcaption><iframe id="preview-${l}-desktop" sandbox="" title="${frameTitle(c.desktop)}" srcdoc=""></iframe></figure>
      <figure class="device mobile"><figcaption>${escapeHtml(c.mobile)}</figcaption><iframe id="preview-${l}-mobile" sandbox="" title="${frameTitle(c.mobile)}" srcdoc=""></iframe></figure>
    </section>`;
    })
    .join("\n    ");

  const main = `<div id="console" class="console">
<div class="console-head">
  <div>
    <p class="eyebrow">${escapeHtml(t.eyebrow)}</p>
    <h1>${escapeHtml(t.title)}</h1>
    <p class="lead">${escapeHtml(t.lead)}</p>
  </div>
  <div id="session" class="session" hidden><span id="session-who"></span><a id="sign-out" href="${escapeHtml(signOutHref(signIn, language))}">${escapeHtml(t.signOut)}</a></div>
</div>
<noscript><p class="notice">${escapeHtml(t.noScript)}</p></noscript>
<div id="console-status" class="toast" role="status" aria-live="polite"></div>
<div id="console-alert" class="toast error" role="alert"></div>
${signInSection}
<div id="workspace" hidden>
<nav class="console-nav" aria-label="${escapeHtml(t.nav)}">
  <ul>
    <li><a href="#overview" data-view="overview" aria-current="page">${escapeHtml(views.overview)}</a></li>
    <li><a href="#announcements" data-view="announcements">${escapeHtml(views.announcements)}</a></li>
    <li><a href="#digests" data-view="digests">${escapeHtml(views.digests)}</a></li>
  </ul>
</nav>

<section id="view-overview" class="view" aria-labelledby="overview-title">
  <h2 id="overview-title" tabindex="-1">${escapeHtml(t.overview.heading)}</h2>
  <div class="toolbar">
    <p class="view-intro">${escapeHtml(t.overview.intro)}</p>
    <div class="field"><label for="stats-days">${escapeHtml(t.overview.period)}</label><select id="stats-days">${days}</select></div>
  </div>
  <div id="charts" class="chart-grid" aria-busy="true"></div>
</section>

<section id="view-announcements" class="view" aria-labelledby="announcements-title" hidden>
  <h2 id="announcements-title" tabindex="-1">${escapeHtml(t.announcements.heading)}</h2>
  <div id="announcement-index">
    <div class="toolbar">
      <p class="view-intro">${escapeHtml(t.announcements.intro)}</p>
      <button type="button" id="new-announcement">${escapeHtml(t.announcements.create)}</button>
    </div>
    <div id="announcement-list" class="card table-wrap"></div>
  </div>

  <div id="editor" hidden>
    <button type="button" id="back-to-list" class="secondary small back">← ${escapeHtml(t.announcements.back)}</button>
    <h3 id="editor-heading" class="editor-heading" tabindex="-1"></h3>
    <section class="card" id="progress-card" aria-labelledby="progress-title" hidden>
      <h4 id="progress-title">${escapeHtml(t.progress.heading)}</h4>
      <div class="progress-line"><span id="progress-state" class="badge"></span><span id="progress-text" class="progress-text"></span></div>
      <progress id="send-progress" max="1" value="0" aria-labelledby="progress-title" aria-describedby="progress-text"></progress>
      <p id="scheduled-for" hidden></p>
      <p id="paused-reason" class="paused-reason" hidden></p>
      <dl class="counters" id="counters"></dl>
      <div class="button-row">
        <button type="button" id="pause" class="secondary" hidden>${escapeHtml(t.progress.pause)}</button>
        <button type="button" id="resume" hidden>${escapeHtml(t.progress.resume)}</button>
        <button type="button" id="cancel" class="danger" hidden>${escapeHtml(t.progress.cancel)}</button>
      </div>
    </section>
    <div class="card">
      <div id="compose-errors" class="error-summary" role="alert" tabindex="-1" hidden></div>
      <form id="compose-form" novalidate>
        <fieldset id="compose-fields">
        <p class="hint">${escapeHtml(c.languagesHint)}</p>
        <div class="lang-columns">
          <fieldset><legend>${escapeHtml(c.legendSv)}</legend>
            ${input("title-sv", c.titleLabel, ' lang="sv" maxlength="200"')}
            <div class="field" data-field="body-sv"><label for="body-sv">${escapeHtml(c.bodyLabel)}</label><p class="hint" id="body-sv-hint">${escapeHtml(c.bodyHint)}</p><textarea id="body-sv" name="body-sv" lang="sv" aria-describedby="body-sv-hint"></textarea></div>
          </fieldset>
          <fieldset><legend>${escapeHtml(c.legendEn)}</legend>
            ${input("title-en", c.titleLabel, ' lang="en" maxlength="200"')}
            <div class="field" data-field="body-en"><label for="body-en">${escapeHtml(c.bodyLabel)}</label><p class="hint" id="body-en-hint">${escapeHtml(c.bodyHint)}</p><textarea id="body-en" name="body-en" lang="en" aria-describedby="body-en-hint"></textarea></div>
          </fieldset>
        </div>
        <fieldset class="field" data-field="missions" id="missions-fieldset" aria-describedby="missions-hint">
          <legend>${escapeHtml(c.missions)}</legend>
          <p class="hint" id="missions-hint">${escapeHtml(c.missionsHint)}</p>
          <div id="mission-choices" class="mission-choices"></div>
        </fieldset>
        <fieldset>
          <legend>${escapeHtml(c.event)}</legend>
          <div class="field-row">
            <div class="field" data-field="event-date"><label for="event-date">${escapeHtml(c.eventDate)}</label><input type="date" id="event-date" name="event-date"></div>
            <div class="field" data-field="event-time"><label for="event-time">${escapeHtml(c.eventTime)}</label><input type="time" id="event-time" name="event-time"></div>
            ${input("event-place", c.eventPlace, ' maxlength="200"')}
          </div>
        </fieldset>
        <fieldset>
          <legend>${escapeHtml(c.cta)}</legend>
          <div class="field-row">
            ${input("cta-label-sv", c.ctaLabelSv, ' lang="sv" maxlength="80"')}
            ${input("cta-label-en", c.ctaLabelEn, ' lang="en" maxlength="80"')}
            <div class="field" data-field="cta-url"><label for="cta-url">${escapeHtml(c.ctaUrl)}</label><input type="url" id="cta-url" name="cta-url" placeholder="https://"></div>
          </div>
        </fieldset>
        <button type="submit" id="save-draft">${escapeHtml(c.save)}</button>
        </fieldset>
      </form>
    </div>

    <section class="preview-section" aria-labelledby="preview-title">
      <h4 id="preview-title">${escapeHtml(c.preview)}</h4>
      <p class="view-intro">${escapeHtml(c.previewIntro)}</p>
      <p id="preview-status" class="hint" aria-live="polite"></p>
      <div class="preview-grid">
    ${frames}
      </div>
    </section>

    <section class="card" id="send-card" aria-labelledby="send-title">
      <h4 id="send-title">${escapeHtml(t.send.heading)}</h4>
      <p id="send-hint" class="hint"></p>
      <div class="send-grid" id="send-grid">
        <section aria-labelledby="test-title">
          <h5 id="test-title">${escapeHtml(t.send.testHeading)}</h5>
          <form id="test-form" novalidate>
            <div class="field"><label for="test-to">${escapeHtml(t.send.testLabel)}</label><p class="hint" id="test-to-hint">${escapeHtml(t.send.testHint)}</p>
              <input type="text" id="test-to" name="test-to" autocomplete="email" aria-describedby="test-to-hint"></div>
            <button type="submit" class="secondary" id="send-test">${escapeHtml(t.send.testSubmit)}</button>
            <p class="inline-error" id="test-error" role="alert"></p>
          </form>
        </section>
        <section aria-labelledby="go-title">
          <h5 id="go-title">${escapeHtml(t.send.sendHeading)}</h5>
          <form id="send-form" novalidate>
            <fieldset class="inline-choices">
              <legend class="visually-hidden">${escapeHtml(t.send.sendHeading)}</legend>
              <div class="check"><input type="radio" id="send-now" name="when" value="now" checked><label for="send-now">${escapeHtml(t.send.now)}</label></div>
              <div class="check"><input type="radio" id="send-later" name="when" value="later"><label for="send-later">${escapeHtml(t.send.later)}</label></div>
            </fieldset>
            <div class="field" id="send-at-field" hidden><label for="send-at">${escapeHtml(t.send.when)}</label><p class="hint" id="send-at-hint">${escapeHtml(t.send.whenHint)}</p>
              <input type="datetime-local" id="send-at" name="send-at" aria-describedby="send-at-hint"></div>
            <button type="submit" id="review-send">${escapeHtml(t.send.review)}</button>
            <p class="inline-error" id="send-error" role="alert"></p>
          </form>
        </section>
      </div>
    </section>

  </div>
</section>

<section id="view-digests" class="view" aria-labelledby="digests-title" hidden>
  <h2 id="digests-title" tabindex="-1">${escapeHtml(t.digests.heading)}</h2>
  <p class="view-intro">${escapeHtml(t.digests.intro)}</p>
  <div class="button-row">
    <button type="button" id="run-weekly" data-cadence="weekly">${escapeHtml(t.digests.weekly)}</button>
    <button type="button" id="run-monthly" data-cadence="monthly" class="secondary">${escapeHtml(t.digests.monthly)}</button>
  </div>
  <div id="run-list" class="card table-wrap"></div>
</section>
</div>

<dialog id="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
  <h2 id="confirm-title"></h2>
  <p id="confirm-text" class="audience"></p>
  <div class="button-row">
    <button type="button" id="confirm-yes"></button>
    <button type="button" id="confirm-no" class="secondary">${escapeHtml(t.dialogCancel)}</button>
  </div>
</dialog>
<script type="application/json" id="console-data">${jsonBlock({ language, signIn, text: t.client })}</script>
</div>`;

  return layout(language, t.title, main, {
    path: STAFF_CONSOLE_PATH,
    wide: true,
    scripts: [CHART_JS_PATH, STAFF_CONSOLE_SCRIPT_PATH],
    style: STYLE,
  });
}
