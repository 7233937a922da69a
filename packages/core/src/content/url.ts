import * as z from "zod";

/** The longest link the app stores or puts into an email, counted after normalisation. */
export const MAX_URL_LENGTH = 2000;

/** A link checked by the URL rule: its normalised form, or why it cannot be used. */
export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

// C0 controls and DEL. The URL parser would drop tabs and line breaks silently, changing the link.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The one rule for links in content (an item's `url` and `registrationUrl`), used by the content
 * event schema, the public pages, the Atom feed and the emails, so that every one of them accepts the
 * same links and shows them the same way.
 *
 * What can be fixed without changing where a link leads is fixed: surrounding whitespace is trimmed,
 * and the WHATWG URL parser (the one browsers use) percent-encodes spaces and non-ASCII characters
 * and turns an international host name into its ASCII form; braces are percent-encoded too, so that
 * no `{{` reaches an email template. What cannot be fixed that way is refused with a reason: anything
 * but `http://` and `https://`, control characters such as tabs and line breaks, a host the parser
 * refuses (a space in it, a bad port), a user name or password in the link, and a link longer than
 * 2,000 characters. Normalising a normalised link changes nothing.
 */
export function checkUrl(raw: unknown): UrlCheck {
  if (typeof raw !== "string") return { ok: false, reason: "Must be an http(s) URL, such as https://missions.example.org/…" };
  const text = raw.trim();
  if (CONTROL.test(text)) return { ok: false, reason: "Must not contain control characters such as tabs or line breaks." };
  if (!/^https?:\/\/[^/\\?#]/i.test(text)) return { ok: false, reason: "Must be an http(s) URL, such as https://missions.example.org/…" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "Must be a URL a browser can open; check the host name and port." };
  }
  if (url.username || url.password) return { ok: false, reason: "Must not carry a user name or password." };
  const normalised = url.href.replace(/\{/g, "%7B").replace(/\}/g, "%7D");
  if (normalised.length > MAX_URL_LENGTH) return { ok: false, reason: `Must be at most ${MAX_URL_LENGTH} characters once encoded.` };
  return { ok: true, url: normalised };
}

/** The normalised form of a link under the URL rule (see `checkUrl`), or undefined if it cannot be used. */
export function normaliseUrl(raw: unknown): string | undefined {
  const checked = checkUrl(raw);
  return checked.ok ? checked.url : undefined;
}

/**
 * A content link in a zod schema: parses to the normalised link (see `checkUrl`), or fails with the
 * rule's reason, so the webhook's 422 names the field and only normalised links are stored.
 */
export const HttpUrl = z
  .string({ error: "Must be an http(s) URL." })
  .describe("An http(s) link. Spaces and non-ASCII characters are percent-encoded; a link that cannot be fixed that way is refused.")
  .transform((raw, ctx) => {
    const checked = checkUrl(raw);
    if (checked.ok) return checked.url;
    ctx.addIssue({ code: "custom", message: checked.reason });
    return z.NEVER;
  });
