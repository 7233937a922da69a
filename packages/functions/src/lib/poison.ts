import type { ZodError } from "zod";
import { problemsText, zodProblems } from "@mission-mail/core/shared/errors";

/** A message or event that can never succeed: it goes to a dead-letter queue with its reason, never into retries. */
export class PoisonMessage extends Error {
  override name = "PoisonMessage";
}

/** A zod error as one readable line: each problem with its path. */
export const zodReasons = (error: ZodError): string => problemsText(zodProblems(error));
