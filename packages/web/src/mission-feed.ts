import { Feed } from "feed";
import type { ContentItem } from "@mission-mail/core/content/schema";
import { normaliseUrl } from "@mission-mail/core/content/url";
import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Mission } from "@mission-mail/core/shared/missions";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { itemMeta, kindLabel } from "./content-list";

/** The most entries a feed carries; readers keep what they have already seen. */
export const FEED_LIMIT = 50;

const TEXT = {
  sv: { subtitle: (name: string) => `Seminarier, publikationer och nyheter från missionen ${name}.`, register: "Anmälan" },
  en: { subtitle: (name: string) => `Seminars, publications and news from the mission ${name}.`, register: "Register" },
} as const;

/** A content item's feed id: the same in every mission's feed and stable across versions. */
const entryId = (item: ContentItem) => `urn:mission-mail:content:${item.id}`;

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
    description: TEXT[language].subtitle(name),
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
    const registrationUrl = item.kind === "seminar" && item.registrationUrl ? normaliseUrl(item.registrationUrl) : undefined;
    const meta = `<p>${escapeHtml(kindLabel(item.kind, language))} · ${escapeHtml(itemMeta(item, language))}</p>`;
    const register = registrationUrl ? `\n<p><a href="${escapeHtml(registrationUrl)}">${TEXT[language].register}</a></p>` : "";
    feed.addItem({
      id: entryId(item),
      title: escapeHtml(item.title),
      link,
      date: new Date(item.publishedAt),
      published: new Date(item.publishedAt),
      description: escapeHtml(item.summary),
      content: `${meta}\n<p>${escapeHtml(item.summary)}</p>${register}`,
      category: [{ term: item.kind, name: kindLabel(item.kind, language) }],
    });
  }
  return feed.atom1();
}
