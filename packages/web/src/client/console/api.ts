import { say, T } from "./context";
import { readSession } from "./session";

/** A field the API refused, with its message. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A refused or failed API call: its HTTP status and the API's error envelope. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  constructor(status: number, error?: { code?: string; message?: string; fields?: FieldProblem[] } | null) {
    super(error?.message ?? T.networkError);
    this.status = status;
    this.code = error?.code ?? "error";
    this.fields = error?.fields ?? [];
  }
}

let onSignedOut: (message: string) => void = () => undefined;

/** What happens when the API says the session is over (401) or not staff (403). */
export function whenSignedOut(handler: (message: string) => void): void {
  onSignedOut = handler;
}

/** A call to the staff API with the session's bearer token; a 401, or a 403 for an account outside the staff groups, signs the person out. */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const session = readSession();
  if (!session) {
    onSignedOut(T.sessionEnded);
    throw new ApiError(401, { code: "unauthorized", message: T.sessionEnded });
  }
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}`, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit" });
  } catch {
    throw new ApiError(0, { code: "network", message: T.networkError });
  }
  const text = await res.text();
  let json: { error?: { code?: string; message?: string; fields?: FieldProblem[] } } | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.status === 401) {
    onSignedOut(T.sessionEnded);
    throw new ApiError(401, json?.error);
  }
  if (res.status === 403 && (json?.error?.code ?? "forbidden") === "forbidden") {
    onSignedOut(T.forbidden);
    throw new ApiError(403, json?.error);
  }
  if (!res.ok) throw new ApiError(res.status, json?.error);
  return json as T;
}

/** Whether an error is the session ending, which has already been shown by signing out (a 403 for a missing role or the four-eyes rule is not). */
export const signedOutBy = (err: unknown) => err instanceof ApiError && (err.status === 401 || (err.status === 403 && err.code === "forbidden"));

/** Shows a failed call's message, unless it signed the person out. */
export function failed(err: unknown): void {
  if (signedOutBy(err)) return;
  say(err instanceof Error && err.message ? err.message : T.networkError, true);
}
