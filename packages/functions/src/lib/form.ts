import type { AppError } from "@mission-mail/core/shared/errors";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { refusalText } from "@mission-mail/web/missions-pages";

/** The message for a refused form post, in the page's language: the deck's sentence for its code, else the error's own. */
export function refusalMessage(err: AppError, language: Language): string {
  return refusalText(language, err.code) ?? err.message;
}

/** The form field that sets one mission's cadence: `cadenceByMission.<mission id>`. */
export const CADENCE_FIELD_PREFIX = "cadenceByMission.";

/**
 * The per-mission cadences a form sets: each non-empty `cadenceByMission.<mission id>` field of a
 * chosen mission (empty means "the same as for all"). A mission that is not ticked loses its own
 * cadence, as a person unticking it would expect; the use case checks the values.
 */
export function cadenceByMissionOf(form: URLSearchParams, chosen: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of form) {
    if (!name.startsWith(CADENCE_FIELD_PREFIX) || value === "") continue;
    const mission = name.slice(CADENCE_FIELD_PREFIX.length);
    if (chosen.includes(mission) && Object.keys(out).length < 40) out[mission] = value.slice(0, 20);
  }
  return Object.keys(out).length ? out : undefined;
}
