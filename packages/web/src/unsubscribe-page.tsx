/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy, fill } from "./copy";
import type { FieldProblem, Language } from "./core";
import { buttonPage, layout, messagePage } from "./layout";

/** The reasons the unsubscribe page offers, in the order it shows them (the core's codes). */
export const DEPARTURE_REASON_CODES = ["too-many-emails", "not-relevant", "never-signed-up", "other"] as const;
/** The longest free text the question takes (the core checks the same limit). */
export const DEPARTURE_TEXT_LIMIT = 500;

/**
 * The page an unsubscribe link opens: a button, nothing changed yet (mail scanners follow links). The
 * campaign the link came from (`c`) goes along with the button, so the campaign counts the unsubscribe.
 */
export function unsubscribePage(language: Language, token: string, campaignTag?: string): string {
  const campaign = campaignTag ? `&c=${encodeURIComponent(campaignTag)}` : "";
  return buttonPage(language, copy(language).unsubscribe, `/unsubscribe?token=${encodeURIComponent(token)}&lang=${language}${campaign}`);
}

/** What the "why did you leave?" form needs: the link's token and campaign, and a refused answer's values and problems. */
export interface DepartureForm {
  token: string;
  campaignTag?: string;
  values?: { reason?: string; text?: string };
  problems?: FieldProblem[];
}

/**
 * The page after unsubscribing, with one optional question: why did you leave? A radio group in a
 * fieldset with its legend, and a text box of at most 500 characters; a plain form POST, so it works
 * without JavaScript. A refused answer comes back with an error summary and each field's error.
 */
export function unsubscribedPage(language: Language, form?: DepartureForm): string {
  const t = copy(language).unsubscribe;
  if (!form) return messagePage(language, t.doneTitle, t.done);
  const problems = form.problems ?? [];
  const errorOf = (field: string) => problems.find((p) => p.field === field);
  const campaign = form.campaignTag ? `&c=${encodeURIComponent(form.campaignTag)}` : "";
  const action = `/unsubscribe/reason?token=${encodeURIComponent(form.token)}&lang=${language}${campaign}`;
  const reasonError = errorOf("reason");
  const textError = errorOf("text");
  const main = (
    <>
      {problems.length ? (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t.errorsTitle}</h2>
          <ul>
            {problems.map((p) => (
              <li>
                <a href={p.field === "text" ? "#departure-text" : "#reason"}>{p.field === "text" ? t.textError : t.reasonError}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h1>{t.doneTitle}</h1>
      <p role="status">{t.done}</p>
      <form method="post" action={action} class="departure" novalidate>
        <fieldset id="reason" class={reasonError ? "has-error" : undefined} aria-describedby={reasonError ? "reason-error" : "reason-hint"}>
          <legend>{t.reasonLegend}</legend>
          <p class="hint" id="reason-hint">
            {t.reasonHint}
          </p>
          {reasonError ? (
            <p class="field-error" id="reason-error">
              {t.reasonError}
            </p>
          ) : null}
          {DEPARTURE_REASON_CODES.map((code) => (
            <div class="check">
              <input type="radio" id={`reason-${code}`} name="reason" value={code} checked={form.values?.reason === code} />
              <label for={`reason-${code}`}>{t.reasons[code]}</label>
            </div>
          ))}
        </fieldset>
        <div class={textError ? "field has-error" : "field"}>
          <label for="departure-text">{fill(t.textLabel, { max: DEPARTURE_TEXT_LIMIT })}</label>
          {textError ? (
            <p class="field-error" id="departure-text-error">
              {t.textError}
            </p>
          ) : null}
          <textarea id="departure-text" name="text" rows={4} maxlength={DEPARTURE_TEXT_LIMIT} aria-describedby={textError ? "departure-text-error" : undefined} aria-invalid={textError ? "true" : undefined}>
            {form.values?.text ?? ""}
          </textarea>
        </div>
        <button type="submit">{t.send}</button>
      </form>
    </>
  );
  return layout(language, t.doneTitle, main);
}

/** The page after an answer: thanks, and nothing more to do. */
export function departureThanksPage(language: Language): string {
  const t = copy(language).unsubscribe;
  return messagePage(language, t.thanksTitle, t.thanks, { status: true });
}
