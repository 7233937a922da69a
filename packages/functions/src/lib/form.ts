import { AppError } from "@mission-mail/core/shared/errors";
import type { Language } from "@mission-mail/core/shared/vocabulary";

/** What a person sees when a page's form post is refused before it is read, in their language. */
const REFUSALS: Record<string, Record<Language, string>> = {
  body_too_large: { sv: "Formuläret innehöll för mycket data. Försök igen.", en: "The form sent too much data. Please try again." },
  invalid_encoding: { sv: "Formuläret kunde inte läsas. Försök igen.", en: "The form could not be read. Please try again." },
  invalid_choice: { sv: "Välj en av knapparna i formuläret om kakor.", en: "Choose one of the buttons in the cookie form." },
};

/** The message for a refused form post, in the page's language. */
export function refusalMessage(err: AppError, language: Language): string {
  return REFUSALS[err.code]?.[language] ?? err.message;
}
