/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy } from "./copy";
import type { Language } from "./core";
import { buttonPage, messagePage } from "./layout";

/**
 * The page a confirmation link opens. It changes nothing by itself (mail scanners follow links): only
 * its button, a plain form POST, confirms.
 */
export function confirmPage(language: Language, token: string): string {
  return buttonPage(language, copy(language).confirm, `/api/subscriptions/confirm?lang=${language}`, { token });
}

/** The page after a form confirmation. */
export function confirmedPage(language: Language): string {
  const t = copy(language).confirm;
  return messagePage(language, t.doneTitle, t.done);
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
