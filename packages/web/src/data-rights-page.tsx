/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy } from "./copy";
import type { Language } from "./core";
import { layout, messagePage } from "./layout";

/** The query that carries a link's token and the page's language. */
const tokenQuery = (token: string, language: Language) => `token=${encodeURIComponent(token)}&lang=${language}`;

/** After asking for a data-rights link from the preference centre. */
export function dataRightsSentPage(language: Language, action: "export" | "erase", manageToken: string): string {
  const t = copy(language).dataRights;
  return layout(
    language,
    t.sentTitle,
    <>
      <h1>{t.sentTitle}</h1>
      <div class="notice success" role="status">
        <p>{t.sent[action]}</p>
      </div>
      <p>
        <a href={`/preferences?${tokenQuery(manageToken, language)}`}>{t.back}</a>
      </p>
    </>,
  );
}

/**
 * The page the emailed data-rights link opens: a download link or an erase button (a form POST, so
 * a mail scanner following the link erases nothing), whichever the link was sent for.
 */
export function dataRightsPage(language: Language, token: string, action: "export" | "erase"): string {
  const t = copy(language).dataRights;
  const q = tokenQuery(token, language);
  return layout(
    language,
    t.title,
    <>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {action === "export" && <section aria-labelledby="export-title">
        <h2 id="export-title">{t.exportTitle}</h2>
        <p>{t.exportText}</p>
        <p>
          <a class="button" href={`/api/me/export?${q}&download=1`} download>
            {t.exportLink}
          </a>
        </p>
      </section>}
      {action === "erase" && <section aria-labelledby="erase-title">
        <h2 id="erase-title">{t.eraseTitle}</h2>
        <p>{t.eraseText}</p>
        <form method="post" action={`/api/me/erase?${q}`}>
          <button type="submit" class="button">
            {t.eraseButton}
          </button>
        </form>
      </section>}
    </>,
  );
}

/** After erasing. */
export function erasedPage(language: Language): string {
  const t = copy(language).dataRights;
  return messagePage(language, t.erasedTitle, t.erased, { status: true });
}
