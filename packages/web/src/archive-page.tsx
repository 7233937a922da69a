/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ContentList, groupByMonth, monthHeading } from "./content-list";
import { copy, fill } from "./copy";
import type { ContentItem, Mission, Seminar } from "./core";
import { layout, localHref } from "./layout";
import { Breadcrumbs, feedHref, missionHref, type PageContext } from "./missions-pages";

/**
 * `GET /missions/{id}/archive`: the mission's public editions. Coming seminars first (soonest first),
 * then everything earlier grouped by month, newest first. Only published content: nothing personal.
 */
export function archivePage(ctx: PageContext, mission: Mission, upcoming: Seminar[], past: ContentItem[]): string {
  const { language } = ctx;
  const all = copy(language);
  const t = all.archive;
  const name = mission.name[language];
  const title = fill(t.title, { name });
  const months = groupByMonth(past);
  const main = (
    <>
      <Breadcrumbs
        language={language}
        trail={[{ href: localHref("/missions", language), label: all.site.missions }, { href: missionHref(mission.id, language), label: name }, { label: all.missions.archive }]}
      />
      <div class="hero">
        <h1>{title}</h1>
        <p class="lead">{t.lead}</p>
        <ul class="links inline-links">
          <li>
            <a href={feedHref(mission.id, language)} type="application/atom+xml">
              {t.feed}
            </a>
          </li>
          <li>
            <a href={`${missionHref(mission.id, language)}#signup`}>{fill(t.subscribe, { name })}</a>
          </li>
        </ul>
      </div>
      <div class="panel archive">
        {upcoming.length ? (
          <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title" class="flush">
              {all.missions.upcomingTitle}
            </h2>
            <ContentList items={upcoming} language={language} />
          </section>
        ) : null}
        <section aria-labelledby="past-title">
          <h2 id="past-title" class={upcoming.length ? undefined : "flush"}>
            {t.past}
          </h2>
          {months.length ? (
            months.map((g) => (
              <section class="month" aria-labelledby={`month-${g.month}`}>
                <h3 id={`month-${g.month}`}>{monthHeading(g.month, language)}</h3>
                <ContentList items={g.items} language={language} headingLevel={4} />
              </section>
            ))
          ) : (
            <p>{t.empty}</p>
          )}
        </section>
      </div>
    </>
  );
  return layout(language, title, main, {
    path: ctx.path,
    banner: ctx.banner,
    section: "missions",
    wide: true,
    description: t.lead,
    feeds: [{ href: feedHref(mission.id, language), title: fill(t.feedTitle, { name }) }],
  });
}
