import { LANG, SIGN_IN } from "./context";

/**
 * The signed-in person's token, kept in sessionStorage only (it ends with the tab, and no cookie
 * carries it), and the two ways to get one: the Hosted UI's authorization-code flow with PKCE (S256) and `state`, or
 * locally a token from the local issuer, pasted or carried in the URL fragment.
 */

const SESSION_KEY = "mission-mail.staff.session";
const PKCE_KEY = "mission-mail.staff.pkce";

export interface Session {
  token: string;
  exp?: number;
  who: string;
}

function base64UrlDecode(text: string): string {
  let b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  while (b64.length % 4) b64 += "=";
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const randomText = (size: number) => base64Url(crypto.getRandomValues(new Uint8Array(size)));

/** A JWT's claims, unverified: the server verifies; the page only names the person and the expiry. */
function claimsOf(token: string): { exp?: number; email?: string; sub?: string } | null {
  try {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const claims: unknown = JSON.parse(base64UrlDecode(parts[1]!));
    return claims && typeof claims === "object" ? claims : null;
  } catch {
    return null;
  }
}

/** The current session, unless there is none or it is about to expire. */
export function readSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? "null") as Session | null;
    if (!s?.token) return null;
    if (s.exp && s.exp * 1000 < Date.now() + 5000) {
      sessionStorage.removeItem(SESSION_KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

/** Keeps a token as the session; false if it is not a JWT. */
export function saveSession(token: string): boolean {
  const claims = claimsOf(token);
  if (!claims) return false;
  const session: Session = { token, exp: claims.exp, who: claims.email ?? claims.sub ?? "" };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return true;
}

export const clearSession = () => sessionStorage.removeItem(SESSION_KEY);

/** Sends the browser to the Hosted UI, with a fresh PKCE verifier and state kept for the return. */
export async function startHostedSignIn(): Promise<void> {
  const verifier = randomText(48);
  const state = randomText(24);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, language: LANG }));
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: SIGN_IN.clientId ?? "",
    redirect_uri: SIGN_IN.redirectUri,
    scope: "openid email profile",
    state,
    code_challenge: base64Url(new Uint8Array(hash)),
    code_challenge_method: "S256",
    lang: LANG,
  });
  location.assign(`${SIGN_IN.authDomain}/oauth2/authorize?${params}`);
}

const consoleHref = (language: string) => `/staff${language === "en" ? "?lang=en" : ""}`;

/**
 * Finishes the Hosted UI's sign-in on `/staff/callback`: checks `state`, exchanges the code at the
 * token endpoint with the verifier, and keeps the ID token (it names the person for the audit log).
 * Answers a problem to show, "redirect" when the page is moving to the console in the sign-in's
 * language, or null when signed in.
 */
export async function finishHostedSignIn(text: { signInFailed: string; stateMismatch: string; networkError: string }, fill: (t: string, v: Record<string, string>) => string): Promise<string | null> {
  const query = new URLSearchParams(location.search);
  let stored: { verifier: string; state: string; language: string } | null = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? "null");
  } catch {
    stored = null;
  }
  sessionStorage.removeItem(PKCE_KEY);
  const language = stored?.language === "en" ? "en" : LANG;
  history.replaceState(null, "", consoleHref(language));
  if (query.get("error")) return fill(text.signInFailed, { reason: query.get("error_description") ?? query.get("error") ?? "?" });
  if (!stored || !query.get("code") || query.get("state") !== stored.state) return text.stateMismatch;
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: SIGN_IN.clientId ?? "",
    code: query.get("code")!,
    redirect_uri: SIGN_IN.redirectUri,
    code_verifier: stored.verifier,
  });
  try {
    const res = await fetch(`${SIGN_IN.authDomain}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString(), credentials: "omit", cache: "no-store" });
    const json = (await res.json()) as { id_token?: string; error?: string; error_description?: string };
    if (!res.ok || !json.id_token) return fill(text.signInFailed, { reason: json.error_description ?? json.error ?? "?" });
    saveSession(json.id_token);
    if (language !== LANG) {
      location.replace(consoleHref(language));
      return "redirect";
    }
    return null;
  } catch {
    return fill(text.signInFailed, { reason: text.networkError });
  }
}

/**
 * Takes a token from the URL fragment (`/staff#token=…`), which never reaches a server, and removes
 * it from the address bar at once. Only the local cloud accepts it, so nobody can sign a colleague in
 * as someone else with a link.
 */
export function takeFragmentToken(): boolean {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash || "");
  if (!match) return false;
  history.replaceState(null, "", location.pathname + location.search);
  if (!SIGN_IN.local) return false;
  return saveSession(decodeURIComponent(match[1]!));
}
