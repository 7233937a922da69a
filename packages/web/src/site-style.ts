/** The site's shared styles: every page's, the staff console's included. */
export const SITE_STYLE = `
  :root { --ink: #1b1f24; --muted: #4a5360; --line: #d3d9e0; --bg: #f3f5f7; --brand: #0b4f8a; --brand-dark: #08365f; --head: #0a2b4a; --focus: #ffd100; --error: #b3261e; --ok: #1c6b3c; }
  *, *::before, *::after { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 1.0625rem; line-height: 1.6; color: var(--ink); background: var(--bg); display: flex; flex-direction: column; min-height: 100vh; }
  a { color: var(--brand); text-underline-offset: .15em; }
  a:hover { color: var(--brand-dark); text-decoration-thickness: 2px; }
  h1, h2, h3 { line-height: 1.25; margin: 0 0 .6em; }
  h1 { font-size: clamp(1.75rem, 1.3rem + 1.8vw, 2.5rem); letter-spacing: -.01em; }
  h2 { font-size: clamp(1.3rem, 1.1rem + .8vw, 1.6rem); margin-top: 1.6em; }
  h3 { font-size: 1.15rem; }
  p { margin: 0 0 1em; }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 6px var(--ink); }
  main:focus, h1:focus, h2:focus, [tabindex="-1"]:focus { outline: none; box-shadow: none; }
  .container { width: 100%; max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
  .skip { position: absolute; left: -9999px; top: 0; z-index: 10; }
  .skip:focus { left: 1rem; top: 1rem; background: var(--focus); color: var(--ink); padding: .5rem 1rem; }
  .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  .site-header { background: var(--head); color: #fff; }
  .header-inner { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; min-height: 4.25rem; padding-top: .5rem; padding-bottom: .5rem; }
  .brand { color: #fff; text-decoration: none; font-weight: 700; font-size: 1.3rem; letter-spacing: .01em; margin-right: auto; }
  .brand span { font-weight: 400; opacity: .9; margin-left: .35rem; }
  .brand:hover { color: #fff; text-decoration: underline; }
  .header-links { display: flex; align-items: center; gap: 1.25rem; }
  .site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 1.25rem; }
  .site-header a:not(.brand) { color: #fff; }
  .site-nav a { text-decoration: none; font-weight: 600; padding: .35rem 0; border-bottom: 3px solid transparent; }
  .site-nav a[aria-current="page"], .site-nav a:hover { border-bottom-color: #fff; }
  .lang-switch { font-size: .95rem; }
  main { flex: 1; padding: 2rem 0 3rem; }
  .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: clamp(1.25rem, 3vw, 2.25rem); }
  .narrow { max-width: 46rem; margin-left: auto; margin-right: auto; }
  .lead { font-size: 1.2rem; color: var(--muted); max-width: 44rem; }
  .hero { margin-bottom: 2rem; }
  .eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; font-weight: 700; color: var(--muted); margin-bottom: .4rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1.25rem; list-style: none; padding: 0; margin: 0 0 2rem; }
  .card { background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--brand); border-radius: 8px; padding: 1.25rem 1.25rem 1rem; display: flex; flex-direction: column; }
  .card h3 { margin-bottom: .4rem; }
  .card p { color: var(--muted); flex: 1; }
  .card .links { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; margin: 0; padding: 0; list-style: none; font-weight: 600; }
  .two-col { display: grid; gap: 2rem; grid-template-columns: minmax(0, 1fr); }
  @media (min-width: 60rem) { .two-col { grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); align-items: start; } }
  .principles { padding-left: 1.2rem; }
  .principles li { margin-bottom: .5rem; }
  .items { list-style: none; margin: 0 0 1.5rem; padding: 0; }
  .items li { border-bottom: 1px solid var(--line); padding: .9rem 0; }
  .items li:last-child { border-bottom: 0; }
  .items h3, .items h4 { font-size: 1.1rem; margin: 0 0 .2rem; }
  .meta { color: var(--muted); font-size: .95rem; margin: 0 0 .3rem; }
  .tag { display: inline-block; font-size: .78rem; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; padding: .1rem .5rem; border-radius: 999px; background: #e4edf6; color: var(--brand-dark); margin-right: .4rem; vertical-align: .1em; }
  .month { margin-top: 2rem; }
  .flush { margin-top: 0; }
  .inline-links { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; list-style: none; margin: 0; padding: 0; font-weight: 600; }
  .archive .month:first-of-type { margin-top: 0; }
  .after { margin-top: 1.5rem; }
  .breadcrumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0 0 1.25rem; padding: 0; font-size: .95rem; }
  .breadcrumbs li + li::before { content: "›"; margin: 0 .4rem 0 .15rem; color: var(--muted); }
  .breadcrumbs [aria-current] { color: var(--muted); }
  .button, button { display: inline-block; font: inherit; font-weight: 600; line-height: 1.2; padding: .75rem 1.25rem; border-radius: 6px; border: 2px solid var(--brand); background: var(--brand); color: #fff; cursor: pointer; text-decoration: none; text-align: center; }
  .button:hover, button:hover { background: var(--brand-dark); border-color: var(--brand-dark); color: #fff; }
  .button.secondary { background: #fff; color: var(--brand); }
  .button.secondary:hover { background: #e9f0f7; color: var(--brand-dark); }
  .button-row { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0 0 1rem; }
  .cookie-banner { background: #fff; border-bottom: 4px solid var(--brand); box-shadow: 0 2px 10px rgba(10, 43, 74, .12); padding: 1.25rem 0 .5rem; }
  .cookie-banner h2 { margin-top: 0; font-size: 1.3rem; }
  .cookie-banner p { max-width: 52rem; }
  details.customise { margin-bottom: 1rem; }
  details.customise summary { cursor: pointer; color: var(--brand); font-weight: 600; text-decoration: underline; width: fit-content; }
  details.customise[open] summary { margin-bottom: .75rem; }
  fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; min-width: 0; }
  legend { font-weight: 700; font-size: 1.1rem; padding: 0; margin-bottom: .5rem; }
  .check { position: relative; padding-left: 2.25rem; margin-bottom: .6rem; }
  .check input { position: absolute; left: 0; top: .1rem; width: 1.4rem; height: 1.4rem; margin: 0; accent-color: var(--brand); }
  .check label { font-weight: 600; cursor: pointer; }
  .check .hint, .check p { margin: 0; }
  .hint { color: var(--muted); font-size: .95rem; margin: 0 0 .5rem; }
  .field { margin-bottom: 1.5rem; }
  .field > label { display: block; font-weight: 700; margin-bottom: .3rem; }
  input[type="email"], input[type="text"] { font: inherit; width: 100%; max-width: 28rem; padding: .65rem .75rem; border: 2px solid var(--ink); border-radius: 4px; background: #fff; color: var(--ink); }
  .inline-choices { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
  .signup { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: clamp(1.25rem, 3vw, 2rem); }
  .signup h2 { margin-top: 0; }
  .standalone .signup > h2 { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .consent-text { background: var(--bg); border-left: 4px solid var(--brand); padding: .75rem 1rem; font-size: .95rem; margin: 0 0 1rem; }
  .has-error { border-left: 4px solid var(--error); padding-left: 1rem; }
  .has-error input[type="email"] { border-color: var(--error); }
  .field-error { color: var(--error); font-weight: 700; margin: 0 0 .4rem; }
  .error-summary { border: 4px solid var(--error); padding: 1rem 1.25rem; margin-bottom: 1.5rem; background: #fff; }
  .error-summary h2 { margin-top: 0; font-size: 1.2rem; }
  .error-summary ul { margin: 0; padding-left: 1.2rem; }
  .error-summary a { color: var(--error); font-weight: 700; }
  .error { color: var(--error); }
  .notice { border-left: 6px solid var(--brand); background: #e9f0f7; padding: 1rem 1.25rem; border-radius: 0 6px 6px 0; }
  .notice.success { border-left-color: var(--ok); background: #e8f3ec; }
  .notice p:last-child { margin-bottom: 0; }
  .notice form { margin: 0 0 1rem; }
  .status-message:empty { display: none; }
  .status-message { border-left: 6px solid var(--ok); background: #e8f3ec; padding: .75rem 1rem; margin-bottom: 1rem; font-weight: 600; }
  .honeypot { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
  .site-footer { background: #fff; border-top: 1px solid var(--line); padding: 1.5rem 0; color: var(--muted); font-size: .95rem; }
  .footer-inner { display: flex; flex-wrap: wrap; gap: .5rem 2rem; justify-content: space-between; }
  .footer-inner ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: 0; padding: 0; }
  .jump { display: none; }
  @media (max-width: 60rem) { .jump { display: inline-block; margin-top: .25rem; } }
  @media (max-width: 40rem) { body { font-size: 1rem; } main { padding-top: 1.25rem; } .lead { font-size: 1.075rem; } .brand { font-size: 1.15rem; } .button-row .button, .button-row button { flex: 1 1 100%; } }
`;
