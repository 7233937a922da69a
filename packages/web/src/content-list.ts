import type { ContentItem, ContentKind } from "@mission-mail/core/content/schema";
import { normaliseUrl } from "@mission-mail/core/content/url";
import { EMAIL_TIME_ZONE, formatDate, formatMonth, formatSeminarTime } from "@mission-mail/core/emails/format-date";
import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Language } from "@mission-mail/core/shared/vocabulary";

const KIND: Record<Language, Record<ContentKind, string>> = {
  sv: { seminar: "Seminarium", publication: "Publikation", news: "Nyhet" },
  en: { seminar: "Seminar", publication: "Publication", news: "News" },
};

const TEXT = {
  sv: { published: "Publicerad", register: "Anmälan" },
  en: { published: "Published", register: "Register" },
} as const;

/** The name of a kind of content in a language ("Seminarium", "Publication"). */
export const kindLabel = (kind: ContentKind, language: Language) => KIND[language][kind];

/** When an item belongs in a list: a seminar when it takes place, anything else when it was published. */
export const itemDate = (item: ContentItem) => (item.kind === "seminar" ? item.startsAt : item.publishedAt);

/** "2026-11": the calendar month of an instant in Stockholm, where the agency publishes. */
export function stockholmMonth(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: EMAIL_TIME_ZONE, year: "numeric", month: "2-digit" }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}`;
}

/** "November 2026" / "November 2026", capitalised for a heading. */
export function monthHeading(month: string, language: Language): string {
  const [year, m] = month.split("-").map(Number);
  const text = formatMonth(year!, m!, language);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Groups items by their Stockholm month, newest month first and newest item first within it. */
export function groupByMonth(items: ContentItem[]): { month: string; items: ContentItem[] }[] {
  const sorted = [...items].sort((a, b) => itemDate(b).localeCompare(itemDate(a)) || a.id.localeCompare(b.id));
  const groups: { month: string; items: ContentItem[] }[] = [];
  for (const item of sorted) {
    const month = stockholmMonth(itemDate(item));
    if (groups.at(-1)?.month !== month) groups.push({ month, items: [] });
    groups.at(-1)!.items.push(item);
  }
  return groups;
}

/** One line of "when and where" for an item, in the page's language. */
export function itemMeta(item: ContentItem, language: Language): string {
  if (item.kind === "seminar") return `${formatSeminarTime(item.startsAt, item.endsAt, language)} · ${item.location}`;
  return `${TEXT[language].published} ${formatDate(item.publishedAt, language)}`;
}

/** The "when and where" line as HTML; a seminar's place keeps the item's own language. */
function metaHtml(item: ContentItem, language: Language): string {
  if (item.kind !== "seminar") return escapeHtml(itemMeta(item, language));
  const lang = item.language !== language ? ` lang="${item.language}"` : "";
  return `${escapeHtml(formatSeminarTime(item.startsAt, item.endsAt, language))} · <span${lang}>${escapeHtml(item.location)}</span>`;
}

/**
 * A list of content items: kind, linked title, when (and where), summary. An item written in another
 * language than the page carries its own `lang`, so screen readers pronounce it right. Links follow
 * the content URL rule, as in the feed and the emails: an item stored before the rule gets its link
 * encoded, and a link the rule refuses is not shown (the title stays, as text).
 */
export function contentList(items: ContentItem[], language: Language, headingLevel: 3 | 4 = 3): string {
  const h = `h${headingLevel}`;
  const rows = items.map((item) => {
    const lang = item.language !== language ? ` lang="${item.language}"` : "";
    const url = normaliseUrl(item.url);
    const registrationUrl = item.kind === "seminar" && item.registrationUrl ? normaliseUrl(item.registrationUrl) : undefined;
    const register = registrationUrl
      ? `\n    <p><a href="${escapeHtml(registrationUrl)}">${TEXT[language].register}<span class="visually-hidden">: ${escapeHtml(item.title)}</span></a></p>`
      : "";
    const title = url ? `<a href="${escapeHtml(url)}"${lang}>${escapeHtml(item.title)}</a>` : `<span${lang}>${escapeHtml(item.title)}</span>`;
    return `  <li data-item="${escapeHtml(item.id)}">
    <${h}><span class="tag">${kindLabel(item.kind, language)}</span>${title}</${h}>
    <p class="meta">${metaHtml(item, language)}</p>
    <p${lang}>${escapeHtml(item.summary)}</p>${register}
  </li>`;
  });
  return `<ul class="items">\n${rows.join("\n")}\n</ul>`;
}
