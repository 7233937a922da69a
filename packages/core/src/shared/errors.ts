import type { ZodError } from "zod";

/** A field-level problem in a request, named by its JSON path (e.g. `missions.1`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A refusal the caller can act on. `code` is a stable snake_case word, `message` a sentence for
 * people, `status` the HTTP status it maps to. Handlers turn it into the shared error envelope.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** The error envelope every API error uses: `{ error: { code, message, fields? } }`. */
export function errorBody(err: AppError): { error: { code: string; message: string; fields?: FieldProblem[] } } {
  return {
    error: { code: err.code, message: err.message, ...(err.fields?.length ? { fields: err.fields } : {}) },
  };
}

/**
 * Turns zod issues into the envelope's `fields`: one `{ field, message }` per bad field, named by its
 * dotted path (`(body)` for the whole value), its messages joined. The one converter of zod issues:
 * request bodies, query parameters, queue messages and the configuration all use it.
 */
export function zodProblems(error: ZodError): FieldProblem[] {
  const byField = new Map<string, string[]>();
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "(body)";
    const messages = byField.get(field) ?? [];
    if (!messages.includes(issue.message)) messages.push(issue.message);
    byField.set(field, messages);
  }
  return [...byField].map(([field, messages]) => ({ field, message: messages.join(" ") }));
}

/** Field problems as one readable line, `field: message; …` (an error's message, a dead letter's reason). */
export const problemsText = (problems: FieldProblem[]): string => problems.map((p) => `${p.field}: ${p.message}`).join("; ");
