import { renderMarkdown } from "../emails";
import { inParallel } from "../shared/in-parallel";
import { LANGUAGES, type Language } from "../shared/vocabulary";
import type { LinkProbe, LinkProbeResult } from "./ports";
import { languagesOf, type AnnouncementContent } from "./schema";

/** Gmail clips an email whose HTML is larger than this (102 KB), hiding the rest behind a link. */
export const GMAIL_CLIP_BYTES = 102 * 1024;
/** Above this, the HTML is close enough to the clip to warn: personalised links and the fallback note add a little. */
export const HTML_SIZE_WARNING_BYTES = 90 * 1024;
/** A subject shorter than this says too little in an inbox list. */
export const SUBJECT_MIN = 10;
/** A subject longer than this is cut in most inbox lists (RFC 5322's recommended line length). */
export const SUBJECT_MAX = 78;
/** How many links are requested at once, and how long each request may take. */
export const LINK_CHECK_CONCURRENCY = 4;
export const LINK_CHECK_TIMEOUT_MS = 3_000;

/** What a check found: `error` blocks a send, `warning` needs acknowledging, `info` and `ok` are for reading. */
export type CheckSeverity = "ok" | "info" | "warning" | "error";

/** The checks, by the id the API and the console name them. */
export const CHECK_IDS = ["html-size", "subject-length", "image-alt", "link-safety", "language-missing", "audience", "link-reachability"] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One check's finding, for one language where it is per language. */
export interface CheckResult {
  check: CheckId;
  severity: CheckSeverity;
  language?: Language;
  /** A sentence for people (English; the console shows its own words per check and severity). */
  message: string;
  /** The measured value (bytes, characters, recipients), where there is one. */
  value?: number;
  /** What the finding is about: image sources, links. */
  items?: string[];
}

/** One language of an announcement as its readers get it: the rendered email, and the author's body and button link. */
export interface RenderedLanguage {
  language: Language;
  subject: string;
  html: string;
  /** The body's HTML alone (the links staff wrote, not the template's own). */
  bodyHtml: string;
  /** The body as staff wrote it (markdown). */
  markdown?: string;
  ctaUrl?: string;
}

/** Recipients per reader language. */
export type AudienceByLanguage = Record<Language, number>;

const KB = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The rendered HTML's size against Gmail's 102 KB clip: an error above it, a warning close to it. */
export function checkHtmlSize(language: Language, html: string): CheckResult {
  const bytes = Buffer.byteLength(html, "utf8");
  if (bytes > GMAIL_CLIP_BYTES) return { check: "html-size", severity: "error", language, value: bytes, message: `The ${language} email is ${KB(bytes)} of HTML; Gmail clips anything over 102 KB. Shorten the body.` };
  if (bytes > HTML_SIZE_WARNING_BYTES) return { check: "html-size", severity: "warning", language, value: bytes, message: `The ${language} email is ${KB(bytes)} of HTML, close to Gmail's 102 KB clip.` };
  return { check: "html-size", severity: "ok", language, value: bytes, message: `The ${language} email is ${KB(bytes)} of HTML, under Gmail's 102 KB clip.` };
}

/** The subject's length in characters (not bytes or UTF-16 units): 10 to 78 reads well in an inbox. */
export function checkSubjectLength(language: Language, subject: string): CheckResult {
  const length = [...subject].length;
  if (length < SUBJECT_MIN) return { check: "subject-length", severity: "warning", language, value: length, message: `The ${language} subject is ${length} characters; at least ${SUBJECT_MIN} say more in an inbox.` };
  if (length > SUBJECT_MAX) return { check: "subject-length", severity: "warning", language, value: length, message: `The ${language} subject is ${length} characters; inboxes cut it after about ${SUBJECT_MAX}.` };
  return { check: "subject-length", severity: "ok", language, value: length, message: `The ${language} subject is ${length} characters.` };
}

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3] ?? "") : undefined;
};
const decodeEntities = (s: string) => s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");

/** The images in some HTML, with their alt text (undefined when the attribute is missing). */
export function imagesIn(html: string): { src: string; alt: string | undefined }[] {
  return [...html.matchAll(/<img\b[^>]*>/gi)].map((m) => {
    const alt = attribute(m[0], "alt");
    return { src: decodeEntities(attribute(m[0], "src") ?? ""), alt: alt === undefined ? undefined : decodeEntities(alt) };
  });
}

/** The link targets (`href` of `<a>`) in some HTML, each once, in order. */
export function linksIn(html: string): string[] {
  const hrefs = [...html.matchAll(/<a\b[^>]*>/gi)].map((m) => attribute(m[0], "href")).filter((h): h is string => h !== undefined && h !== "");
  return [...new Set(hrefs.map(decodeEntities))];
}

/** Images written in markdown (`![alt](src)`), with their alt text. */
export function markdownImages(markdown: string): { src: string; alt: string }[] {
  return [...markdown.matchAll(/!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)/g)].map((m) => ({ src: m[2]!, alt: m[1]! }));
}

/**
 * Images without alt text: in the rendered email (the template's), and in the body's markdown,
 * where an email shows an image as its description, so one without any shows as nothing. A warning:
 * screen readers and clients that block images then say nothing.
 */
export function checkImageAlt(language: Language, html: string, markdown = ""): CheckResult {
  const missing = [...imagesIn(html).filter((i) => i.alt === undefined || i.alt.trim() === ""), ...markdownImages(markdown).filter((i) => i.alt.trim() === "")];
  if (missing.length) return { check: "image-alt", severity: "warning", language, value: missing.length, items: missing.map((i) => i.src), message: `${missing.length} image(s) in the ${language} version have no alt text: ${missing.map((i) => i.src).join(", ")}.` };
  return { check: "image-alt", severity: "ok", language, value: 0, message: `Every image in the ${language} version has alt text.` };
}

const LOCAL_HOST = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\]|.*\.local|.*\.internal)$/i;
const STAFF_PATH = /^\/(staff|api\/staff)(\/|$|\?|#)/i;

/**
 * Why a link must not go out to subscribers, or undefined if it may: not https (mailto aside), a
 * local address nobody else can reach, or the site's own staff console or API.
 */
export function linkProblem(href: string, publicUrl: string): string | undefined {
  if (/^mailto:/i.test(href)) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return "is not a full URL";
  }
  if (url.protocol !== "https:") return `is ${url.protocol.replace(/:$/, "")}, not https`;
  if (LOCAL_HOST.test(url.hostname)) return "points at a local address";
  let site: URL | undefined;
  try {
    site = new URL(publicUrl);
  } catch {
    site = undefined;
  }
  if (site && url.hostname.toLowerCase() === site.hostname.toLowerCase() && STAFF_PATH.test(url.pathname)) return "points at the staff pages";
  return undefined;
}

/** The author's links (body and button): an error for any that is not https, is local, or leads to the staff pages. */
export function checkLinkSafety(language: Language, links: string[], publicUrl: string): CheckResult {
  const bad = links.flatMap((href) => {
    const problem = linkProblem(href, publicUrl);
    return problem ? [`${href} ${problem}`] : [];
  });
  if (bad.length) return { check: "link-safety", severity: "error", language, value: bad.length, items: bad, message: `${bad.length} link(s) in the ${language} version cannot go to subscribers: ${bad.join("; ")}.` };
  return { check: "link-safety", severity: "ok", language, value: 0, message: `The ${language} version's ${links.length} link(s) are https and public.` };
}

/** A language the announcement lacks while some of its audience reads it: they get the other one, with a note. */
export function checkLanguagesMissing(written: Language[], audience: AudienceByLanguage): CheckResult[] {
  return LANGUAGES.filter((l) => !written.includes(l)).map((l): CheckResult => {
    const readers = audience[l];
    if (readers > 0) return { check: "language-missing", severity: "warning", language: l, value: readers, message: `There is no ${l} version: ${readers} reader(s) of ${l} will get the ${written.join("/")} version with a note.` };
    return { check: "language-missing", severity: "info", language: l, value: 0, message: `There is no ${l} version, and nobody in the audience reads ${l}.` };
  });
}

/** The audience per reader language: what a send reaches today. An empty audience is a warning: the send would email nobody. */
export function checkAudience(audience: AudienceByLanguage): CheckResult[] {
  const total = LANGUAGES.reduce((n, l) => n + audience[l], 0);
  const perLanguage = LANGUAGES.map((l): CheckResult => ({ check: "audience", severity: "info", language: l, value: audience[l], message: `${audience[l]} recipient(s) read ${l}.` }));
  return total === 0 ? [...perLanguage, { check: "audience", severity: "warning", value: 0, message: "Nobody follows these missions' news yet: the send would email nobody." }] : perLanguage;
}

/** The links worth requesting: the https ones that are not local or staff pages, each once. */
export function linksToProbe(links: string[], publicUrl: string): string[] {
  return [...new Set(links.filter((l) => /^https:/i.test(l) && !linkProblem(l, publicUrl)))];
}

/**
 * Requests each link through the probe (HEAD, then GET where HEAD is refused; short timeouts), a few
 * at a time. Only ever warnings: a site that is down for a minute must not stop a launch, and it is
 * not checked at all where the service cannot reach the internet.
 */
export async function checkLinkReachability(probe: LinkProbe, links: string[]): Promise<CheckResult> {
  if (!links.length) return { check: "link-reachability", severity: "ok", value: 0, message: "There are no links to check." };
  const results: LinkProbeResult[] = [];
  await inParallel(links, LINK_CHECK_CONCURRENCY, async (url) => {
    results.push(await probe.probe(url).catch((): LinkProbeResult => ({ url, status: "unreachable" })));
  });
  const order = new Map(links.map((l, i) => [l, i]));
  results.sort((a, b) => order.get(a.url)! - order.get(b.url)!);
  const failing = results.filter((r) => r.status === "broken" || r.status === "unreachable");
  if (failing.length) {
    const items = failing.map((r) => (r.status === "broken" ? `${r.url} answers ${r.httpStatus ?? "an error"}` : `${r.url} did not answer`));
    return { check: "link-reachability", severity: "warning", value: failing.length, items, message: `${failing.length} of ${links.length} link(s) may not work: ${items.join("; ")}.` };
  }
  if (results.every((r) => r.status === "not-checked")) return { check: "link-reachability", severity: "info", value: 0, items: links, message: `${links.length} link(s) not checked: this service does not request links here.` };
  return { check: "link-reachability", severity: "ok", value: links.length, message: `All ${links.length} link(s) answered.` };
}

/** The author's links and images of one language: body HTML plus the button's link. */
export function authoredLinks(rendered: Pick<RenderedLanguage, "bodyHtml" | "ctaUrl">): string[] {
  return [...new Set([...linksIn(rendered.bodyHtml), ...(rendered.ctaUrl ? [rendered.ctaUrl] : [])])];
}

/** The body's HTML in a language, as the email has it. */
export const bodyHtmlOf = (content: Pick<AnnouncementContent, "body">, language: Language): string => renderMarkdown(content.body[language] ?? "").html;

/**
 * The checks that need nothing but the rendered emails and the audience: size, subject, images,
 * link safety, missing languages and the audience. Pure; the send runs exactly these.
 */
export function contentChecks(content: Pick<AnnouncementContent, "title">, rendered: RenderedLanguage[], audience: AudienceByLanguage, publicUrl: string): CheckResult[] {
  return [
    ...rendered.flatMap((r) => [checkHtmlSize(r.language, r.html), checkSubjectLength(r.language, r.subject), checkImageAlt(r.language, r.html, r.markdown), checkLinkSafety(r.language, authoredLinks(r), publicUrl)]),
    ...checkLanguagesMissing(languagesOf(content), audience),
    ...checkAudience(audience),
  ];
}

/** The ids of the checks that found something of a severity, each once. */
export const failing = (results: CheckResult[], severity: "error" | "warning"): CheckId[] => [...new Set(results.filter((r) => r.severity === severity).map((r) => r.check))];
