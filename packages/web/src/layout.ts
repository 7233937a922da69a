import { escapeHtml } from "@mission-mail/core/delivery/escape";
import type { Language } from "@mission-mail/core/subscription/schema";

/** The shared page shell: `lang` set, a skip link, visible focus, readable without JavaScript. */
export function layout(language: Language, title: string, main: string): string {
  const brand = language === "sv" ? "Missions – nyhetsbrev" : "Missions newsletter";
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ${brand}</title>
<style>
  body { font-family: system-ui, Helvetica, Arial, sans-serif; margin: 0; color: #1a1a1a; background: #f7f7f7; line-height: 1.5; }
  header { background: #0b5394; color: #fff; padding: 1rem 1.5rem; }
  header a { color: #fff; }
  main { max-width: 40rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 6px; }
  button { font-size: 1rem; padding: .6rem 1.2rem; background: #0b5394; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f1a208; outline-offset: 2px; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; color: #000; padding: .5rem; }
  .error { color: #a4262c; }
</style>
</head>
<body>
<a class="skip" href="#main">${language === "sv" ? "Hoppa till innehållet" : "Skip to content"}</a>
<header><strong>${brand}</strong></header>
<main id="main">
${main}
</main>
</body>
</html>`;
}

/** Picks the page language from `?lang=`, defaulting to Swedish, the site's main language. */
export function pageLanguage(lang: string | undefined): Language {
  return lang === "en" ? "en" : "sv";
}

/**
 * A page whose only action is one button: a plain form POST, so following the link (as mail scanners
 * do) changes nothing and the page works without JavaScript.
 */
export function buttonPage(language: Language, text: { title: string; intro: string; button: string }, action: string, hidden: Record<string, string> = {}): string {
  const fields = Object.entries(hidden).map(([name, value]) => `\n  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join("");
  return layout(
    language,
    text.title,
    `<h1>${escapeHtml(text.title)}</h1>
<p>${escapeHtml(text.intro)}</p>
<form method="post" action="${escapeHtml(action)}">${fields}
  <button type="submit">${escapeHtml(text.button)}</button>
</form>`,
  );
}
