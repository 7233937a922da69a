/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy } from "./copy";
import { EMAIL_TIME_ZONE, formatDate, formatMonth, formatSeminarTime, normaliseUrl, type ContentItem, type ContentKind, type Language } from "./core";

/** The name of a kind of content in a language ("Seminarium", "Publication"). */
export const kindLabel = (kind: ContentKind, language: Language) => copy(language).content.kind[kind];

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
  return `${copy(language).content.published} ${formatDate(item.publishedAt, language)}`;
}

/** The `lang` an item's own text needs on a page in `language`: only when they differ. */
const itemLang = (item: ContentItem, language: Language) => (item.language !== language ? item.language : undefined);

/** The "when and where" line; a seminar's place keeps the item's own language. */
function ItemMeta(props: { item: ContentItem; language: Language }) {
  const { item, language } = props;
  if (item.kind !== "seminar") return <p class="meta">{itemMeta(item, language)}</p>;
  return (
    <p class="meta">
      {formatSeminarTime(item.startsAt, item.endsAt, language)} · <span lang={itemLang(item, language)}>{item.location}</span>
    </p>
  );
}

/**
 * A list of content items: kind, linked title, when (and where), summary. An item written in another
 * language than the page carries its own `lang`, so screen readers pronounce it right. Links follow
 * the content URL rule, as in the feed and the emails: an item stored before the rule gets its link
 * encoded, and a link the rule refuses is not shown (the title stays, as text).
 */
export function ContentList(props: { items: ContentItem[]; language: Language; headingLevel?: 3 | 4 }) {
  const { language } = props;
  const Heading = props.headingLevel === 4 ? "h4" : "h3";
  const t = copy(language).content;
  return (
    <ul class="items">
      {props.items.map((item) => {
        const lang = itemLang(item, language);
        const url = normaliseUrl(item.url);
        const registrationUrl = item.kind === "seminar" && item.registrationUrl ? normaliseUrl(item.registrationUrl) : undefined;
        return (
          <li data-item={item.id}>
            <Heading>
              <span class="tag">{kindLabel(item.kind, language)}</span>
              {url ? (
                <a href={url} lang={lang}>
                  {item.title}
                </a>
              ) : (
                <span lang={lang}>{item.title}</span>
              )}
            </Heading>
            <ItemMeta item={item} language={language} />
            <p lang={lang}>{item.summary}</p>
            {registrationUrl ? (
              <p>
                <a href={registrationUrl}>
                  {t.register}
                  <span class="visually-hidden">: {item.title}</span>
                </a>
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
