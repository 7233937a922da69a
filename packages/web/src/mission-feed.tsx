/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Feed } from "feed";
import { itemMeta, kindLabel } from "./content-list";
import { copy, fill } from "./copy";
import { normaliseUrl, type ContentItem, type Language, type Mission } from "./core";
import { renderFragment } from "./raw";

/** The most entries a feed carries; readers keep what they have already seen. */
export const FEED_LIMIT = 50;

/** A content item's feed id: the same in every mission's feed and stable across versions. */
const entryId = (item: ContentItem) => `urn:mission-mail:content:${item.id}`;

/** An entry's HTML content: kind and when, the summary, and where to register for a seminar. */
function EntryContent(props: { item: ContentItem; language: Language }) {
  const { item, language } = props;
  const registrationUrl = item.kind === "seminar" && item.registrationUrl ? normaliseUrl(item.registrationUrl) : undefined;
  return (
    <>
      <p>
        {kindLabel(item.kind, language)} · {itemMeta(item, language)}
      </p>
      <p>{item.summary}</p>
      {registrationUrl ? (
        <p>
          <a href={registrationUrl}>{copy(language).content.register}</a>
        </p>
      ) : null}
    </>
  );
}

/** Text for an Atom element of `type="html"`, which readers decode once and then read as HTML. */
const htmlText = (text: string) => renderFragment(<>{text}</>);

/**
 * `GET /missions/{id}/feed.atom`: the archive's items as an Atom feed, newest publication first.
 * Titles and summaries are HTML-escaped because Atom's `type="html"` content is read as HTML.
 * Links follow the content URL rule, as on the pages and in the emails; an entry must link to its
 * item, so an item whose link the rule refuses (one stored before the rule) is left out of the feed.
 * The feed names the site, never a person, and carries no addresses.
 */
export function missionFeed(mission: Mission, items: ContentItem[], language: Language, baseUrl: string, now: Date): string {
  const base = baseUrl.replace(/\/+$/, "");
  const name = mission.name[language];
  const path = `/missions/${encodeURIComponent(mission.id)}`;
  const lang = language === "en" ? "?lang=en" : "";
  const sorted = [...items].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id)).slice(0, FEED_LIMIT);
  const feed = new Feed({
    id: `${base}${path}/archive${lang}`,
    title: `Missions: ${name}`,
    description: fill(copy(language).feed.subtitle, { name }),
    link: `${base}${path}/archive${lang}`,
    feed: `${base}${path}/feed.atom?lang=${language}`,
    language,
    updated: sorted[0] ? new Date(sorted[0].publishedAt) : now,
    author: { name: "Missions" },
    generator: false,
  });
  for (const item of sorted) {
    const link = normaliseUrl(item.url);
    if (!link) continue;
    feed.addItem({
      id: entryId(item),
      title: htmlText(item.title),
      link,
      date: new Date(item.publishedAt),
      published: new Date(item.publishedAt),
      description: htmlText(item.summary),
      content: renderFragment(<EntryContent item={item} language={language} />),
      category: [{ term: item.kind, name: kindLabel(item.kind, language) }],
    });
  }
  return feed.atom1();
}
