/** The staff console's own styles, after the site's. */
export const CONSOLE_STYLE = `
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
