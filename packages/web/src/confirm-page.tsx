/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy } from "./copy";
import type { Language } from "./core";
import { layout, messagePage } from "./layout";

/**
 * The page a confirmation link opens. It changes nothing by itself (mail scanners follow links). The
 * site script confirms as soon as a person has the page in view (`data-confirm`): it posts the token
 * and shows the result here, in the heading and the live region. Without JavaScript the button, a
 * plain form POST, confirms.
 */
export function confirmPage(language: Language, token: string): string {
  const t = copy(language).confirm;
  const links = copy(language).links;
  return layout(
    language,
    t.title,
    <div
      data-confirm
      data-working={t.working}
      data-done-title={t.doneTitle}
      data-done={t.done}
      data-already-title={t.alreadyTitle}
      data-already={t.already}
      data-failed-title={links.failedTitle}
      data-expired={links.confirm_token_expired}
      data-invalid={links.invalid_token}
      data-retry={t.failed}
    >
      <h1 tabindex={-1}>{t.title}</h1>
      <p data-confirm-intro>{t.intro}</p>
      <form method="post" action={`/api/subscriptions/confirm?lang=${language}`}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">{t.button}</button>
      </form>
      <p class="result" data-confirm-result role="status" aria-live="polite"></p>
    </div>,
  );
}

/** The page after a form confirmation; one confirmed before says so. */
export function confirmedPage(language: Language, alreadyConfirmed = false): string {
  const t = copy(language).confirm;
  return alreadyConfirmed ? messagePage(language, t.alreadyTitle, t.already, { status: true }) : messagePage(language, t.doneTitle, t.done, { status: true });
}

/** Why a link from an email does not work; each has its sentence in the copy deck. */
export type LinkFailure = "token_expired" | "invalid_token" | "not_found" | "confirm_token_expired" | "link_used" | "wrong_link_action";

/**
 * The failure to show for an error code from a link's use case, or nothing when the code is not about
 * the link. A confirmation link that expired says to sign up again; others, to use the latest email.
 */
export function linkFailure(code: string, link: "confirm" | "manage"): LinkFailure | undefined {
  if (code === "token_expired") return link === "confirm" ? "confirm_token_expired" : "token_expired";
  if (code === "invalid_token") return "invalid_token";
  if (code === "not_found" && link === "manage") return "not_found";
  if (code === "link_used" || code === "wrong_link_action") return code;
  return undefined;
}

/** The page for a refused link, with the reason in the visitor's language. */
export function linkFailedPage(language: Language, failure: LinkFailure): string {
  const t = copy(language).links;
  return messagePage(language, t.failedTitle, t[failure], { error: true });
}
