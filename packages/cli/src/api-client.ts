import { localDataDir, localSecrets, localSecretsFile } from "@mission-mail/local/secrets";
import { groupsForRole, signStaffToken } from "@mission-mail/local/staff-issuer";
import { UsageError } from "./router";

/**
 * The staff HTTP API as the ops CLI talks to it. Every command that calls the API takes `--api <url>`
 * (or MM_API_URL; default http://localhost:3000) and sends `Authorization: Bearer <token>`:
 * MM_TOKEN if set (in AWS, a staff ID token from the console's sign-in), else, against a local URL
 * only, a token signed with the local issuer's key, as `mm staff-token` does, for MM_STAFF_EMAIL
 * (default local-staff@example.org) with the role MM_STAFF_ROLE (`publisher` by default, or `staff`).
 * Refusals come back as `ApiError`, whose
 * message is the API's error envelope as sentences.
 */

export const DEFAULT_API_URL = "http://localhost:3000";
/** The address a locally signed CLI token names, and so the audit log records. */
export const DEFAULT_LOCAL_STAFF_EMAIL = "local-staff@example.org";

/** The flag every API command accepts; spread it into the command's parseFlags options. */
export const API_FLAGS = { api: { type: "string" } } as const;

/** The lines of a command's help that describe `--api` and the token. */
export const API_HELP = [
  `  --api <url>        the API's base URL (default: MM_API_URL, else ${DEFAULT_API_URL})`,
  "",
  "Signs in with MM_TOKEN (a staff token; in AWS the console's ID token). Against a local URL without",
  `MM_TOKEN, a token is signed with the local issuer's key (<DATA_DIR>/local-secrets.json) for`,
  `MM_STAFF_EMAIL (default ${DEFAULT_LOCAL_STAFF_EMAIL}) with the role MM_STAFF_ROLE (publisher by`,
  'default, or staff), as "mm staff-token --role" does. An approval must come from another address.',
].join("\n");

/** A problem with one field, as the API's error envelope names it. */
export interface ApiFieldProblem {
  field: string;
  message: string;
}

/**
 * The API refused a request: its status and the envelope's code, sentence and fields. The error's
 * message is all of it, one problem per line, ready to print.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly sentence: string,
    readonly fields: ApiFieldProblem[] = [],
  ) {
    super([`${sentence} (HTTP ${status}, ${code})`, ...fields.map((f) => `  ${f.field}: ${f.message}`)].join("\n"));
    this.name = "ApiError";
  }
}

export interface StaffApi {
  baseUrl: string;
  /** Who the requests are made as, for messages. */
  signedInAs: string;
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
}

/** Whether a URL points at this machine, where the local issuer's key may sign a token. */
export function isLocalUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The base URL from the flag, MM_API_URL or the default; a usage error if it is not an http(s) URL. */
export function apiBaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): URL {
  const text = flag ?? env.MM_API_URL ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--api "${text}" is not a URL; use e.g. ${DEFAULT_API_URL}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--api "${text}" must be an http or https URL.`);
  return url;
}

/** Opens the staff API for a command: base URL and bearer token as described above. */
export async function staffApi(options: { api?: string; env?: NodeJS.ProcessEnv; fetch?: typeof fetch } = {}): Promise<StaffApi> {
  const env = options.env ?? process.env;
  const base = apiBaseUrl(options.api, env);
  const doFetch = options.fetch ?? fetch;
  let token = env.MM_TOKEN?.trim();
  let signedInAs = "the MM_TOKEN identity";
  let localKeyFile: string | undefined;
  if (!token) {
    if (!isLocalUrl(base)) {
      throw new UsageError(`Set MM_TOKEN to a staff token to use ${base.origin}; tokens are signed locally only for a local API.`);
    }
    const email = env.MM_STAFF_EMAIL?.trim() || DEFAULT_LOCAL_STAFF_EMAIL;
    const dataDir = localDataDir();
    localKeyFile = localSecretsFile(dataDir);
    const role = env.MM_STAFF_ROLE?.trim() || "publisher";
    if (role !== "staff" && role !== "publisher") throw new UsageError(`MM_STAFF_ROLE is "staff" or "publisher", not "${role}".`);
    token = await signStaffToken(localSecrets(dataDir).STAFF_SIGNING_KEY!, { email, groups: groupsForRole(role) });
    signedInAs = email;
  }

  const request = async <T>(method: string, path: string, body?: unknown, query?: Record<string, string | undefined>): Promise<T> => {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const hint = isLocalUrl(base) ? ' Is "npm start" running?' : "";
      throw new Error(`Cannot reach the API at ${base.origin}${cause ? ` (${cause})` : ""}.${hint}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) return parsed as T;
    const envelope = (parsed as { error?: { code?: string; message?: string; fields?: ApiFieldProblem[] }; message?: string } | undefined) ?? {};
    const code = envelope.error?.code ?? (res.status === 401 ? "unauthorized" : `http_${res.status}`);
    let message = envelope.error?.message ?? envelope.message ?? `The API answered ${res.status} ${res.statusText}.`;
    if (res.status === 401 && localKeyFile) message += ` The token was signed with the key in ${localKeyFile}; is the API using the same DATA_DIR?`;
    if (res.status === 401 && !localKeyFile) message += " Check MM_TOKEN: it may have expired.";
    throw new ApiError(res.status, code, message, envelope.error?.fields ?? []);
  };

  return {
    baseUrl: base.origin,
    signedInAs,
    get: (path, query) => request("GET", path, undefined, query),
    post: (path, body) => request("POST", path, body ?? {}),
    put: (path, body) => request("PUT", path, body),
  };
}
