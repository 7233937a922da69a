import type { AppError } from "@mission-mail/core/shared/errors";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { refusalText } from "@mission-mail/web/missions-pages";

/** The message for a refused form post, in the page's language: the deck's sentence for its code, else the error's own. */
export function refusalMessage(err: AppError, language: Language): string {
  return refusalText(language, err.code) ?? err.message;
}
