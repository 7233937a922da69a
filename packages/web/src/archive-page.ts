import type { ContentItem, Seminar } from "@mission-mail/core/content/schema";
import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Mission } from "@mission-mail/core/shared/missions";
import { contentList, groupByMonth, monthHeading } from "./content-list";
import { layout, localHref } from "./layout";
import { feedHref, missionHref, type PageContext } from "./missions-pages";

const TEXT = {
  sv: {
    title: (name: string) => `Arkiv: ${name}`,
    lead: "Seminarier, publikationer och nyheter från missionen de senaste två åren, nyast först.",
    breadcrumb: "Du är här",
    archive: "Arkiv",
    upcoming: "Kommande seminarier",
    past: "Tidigare utskick",
    empty: "Här finns inget publicerat ännu.",
    feed: "Följ arkivet som Atom-flöde",
    feedTitle: (name: string) => `Atom-flöde: ${name}`,
    subscribe: (name: string) => `Prenumerera på nyheter från ${name}`,
  },
  en: {
    title: (name: string) => `Archive: ${name}`,
    lead: "Seminars, publications and news from the mission over the past two years, newest first.",
    breadcrumb: "You are here",
    archive: "Archive",
    upcoming: "Upcoming seminars",
    past: "Earlier editions",
    empty: "Nothing has been published here yet.",
    feed: "Follow the archive as an Atom feed",
    feedTitle: (name: string) => `Atom feed: ${name}`,
    subscribe: (name: string) => `Subscribe to news from ${name}`,
  },
} as const;

/**
 * `GET /missions/{id}/archive`: the mission's public editions. Coming seminars first (soonest first),
 * then everything earlier grouped by month, newest first. Only published content: nothing personal.
 */
export function archivePage(ctx: PageContext, mission: Mission, upcoming: Seminar[], past: ContentItem[]): string {
  const { language } = ctx;
  const t = TEXT[language];
  const name = mission.name[language];
  const months = groupByMonth(past)
    .map(
      (g) => `<section class="month" aria-labelledby="month-${g.month}">
<h3 id="month-${g.month}">${escapeHtml(monthHeading(g.month, language))}</h3>
${contentList(g.items, language, 4)}
</section>`,
    )
    .join("\n");
  const main = `<nav class="breadcrumbs" aria-label="${t.breadcrumb}"><ol><li><a href="${escapeHtml(localHref("/missions", language))}">Missions</a></li><li><a href="${escapeHtml(missionHref(mission.id, language))}">${escapeHtml(name)}</a></li><li aria-current="page">${t.archive}</li></ol></nav>
<div class="hero">
<h1>${escapeHtml(t.title(name))}</h1>
<p class="lead">${t.lead}</p>
<ul class="links inline-links">
  <li><a href="${escapeHtml(feedHref(mission.id, language))}" type="application/atom+xml">${t.feed}</a></li>
  <li><a href="${escapeHtml(missionHref(mission.id, language))}#signup">${escapeHtml(t.subscribe(name))}</a></li>
</ul>
</div>
<div class="panel archive">
${upcoming.length ? `<section aria-labelledby="upcoming-title">\n<h2 id="upcoming-title" class="flush">${t.upcoming}</h2>\n${contentList(upcoming, language)}\n</section>` : ""}
<section aria-labelledby="past-title">
<h2 id="past-title"${upcoming.length ? "" : ' class="flush"'}>${t.past}</h2>
${months || `<p>${t.empty}</p>`}
</section>
</div>`;
  return layout(language, t.title(name), main, {
    path: ctx.path,
    banner: ctx.banner,
    section: "missions",
    wide: true,
    description: t.lead,
    feeds: [{ href: feedHref(mission.id, language), title: t.feedTitle(name) }],
  });
}
