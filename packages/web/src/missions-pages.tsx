/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ContentList } from "./content-list";
import { copy, fillParts } from "./copy";
import type { ContentItem, Language, Mission, Seminar } from "./core";
import { layout, localHref } from "./layout";
import { SignupSection, type SignupState } from "./signup-widget";

/** What every public page knows about its visitor and itself. */
export interface PageContext {
  language: Language;
  /** The page's path without `lang`. */
  path: string;
  /** The visitor has made no cookie choice yet, so the banner shows. */
  banner: boolean;
}

export const missionHref = (id: string, language: Language) => localHref(`/missions/${encodeURIComponent(id)}`, language);
export const archiveHref = (id: string, language: Language) => localHref(`/missions/${encodeURIComponent(id)}/archive`, language);
export const feedHref = (id: string, language: Language) => `/missions/${encodeURIComponent(id)}/feed.atom?lang=${language}`;

/** Where the visitor is: links up the trail, the current page last. */
export function Breadcrumbs(props: { language: Language; trail: { href?: string; label: string }[] }) {
  return (
    <nav class="breadcrumbs" aria-label={copy(props.language).site.breadcrumb}>
      <ol>
        {props.trail.map((c) =>
          c.href ? (
            <li>
              <a href={c.href}>{c.label}</a>
            </li>
          ) : (
            <li aria-current="page">{c.label}</li>
          ),
        )}
      </ol>
    </nav>
  );
}

/** A list of content, or a sentence saying there is none. */
function ContentOrEmpty(props: { items: ContentItem[]; language: Language; empty: string }) {
  return props.items.length ? <ContentList items={props.items} language={props.language} /> : <p>{props.empty}</p>;
}

/** The button that jumps to the sign-up on narrow screens, where it comes after the content. */
const JumpToSignup = (props: { language: Language }) => (
  <a class="button jump" href="#signup">
    {copy(props.language).signup.title}
  </a>
);

/** One mission's card on the overview. */
function MissionCard(props: { mission: Mission; language: Language }) {
  const { mission: m, language } = props;
  const t = copy(language).missions;
  const name = m.name[language];
  return (
    <li class="card">
      <h3>
        <a href={missionHref(m.id, language)}>{name}</a>
      </h3>
      <p>{m.description[language]}</p>
      <ul class="links">
        <li>
          <a href={missionHref(m.id, language)}>
            {t.about}
            <span class="visually-hidden">: {name}</span>
          </a>
        </li>
        <li>
          <a href={archiveHref(m.id, language)}>
            {t.archive}
            <span class="visually-hidden">: {name}</span>
          </a>
        </li>
      </ul>
    </li>
  );
}

/** `GET /missions`: what the approach is, one card per active mission, current seminars, and the sign-up widget. */
export function overviewPage(ctx: PageContext, missions: Mission[], seminars: Seminar[], signup: SignupState): string {
  const { language } = ctx;
  const t = copy(language).missions;
  const main = (
    <>
      <div class="hero">
        <h1>{t.overviewTitle}</h1>
        <p class="lead">{t.overviewLead}</p>
        <JumpToSignup language={language} />
      </div>
      <section aria-labelledby="missions-title">
        <h2 id="missions-title">{t.missionsTitle}</h2>
        <ul class="grid">
          {missions.map((m) => (
            <MissionCard mission={m} language={language} />
          ))}
        </ul>
      </section>
      <div class="two-col">
        <div>
          <section aria-labelledby="approach-title" class="panel">
            <h2 id="approach-title" class="flush">
              {t.approachTitle}
            </h2>
            <p>{t.approach}</p>
            <ul class="principles">
              {t.principles.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="seminars-title">
            <h2 id="seminars-title">{t.seminarsTitle}</h2>
            <ContentOrEmpty items={seminars} language={language} empty={t.noSeminars} />
          </section>
        </div>
        <SignupSection language={language} state={signup} />
      </div>
    </>
  );
  return layout(language, t.overviewTitle, main, { path: ctx.path, banner: ctx.banner, section: "missions", wide: true, description: t.overviewLead });
}

/** `GET /missions/{id}`: one mission, its coming seminars and latest articles, and the sign-up widget with it chosen. */
export function missionPage(ctx: PageContext, mission: Mission, upcoming: Seminar[], latest: ContentItem[], signup: SignupState): string {
  const { language } = ctx;
  const t = copy(language).missions;
  const name = mission.name[language];
  const main = (
    <>
      <Breadcrumbs language={language} trail={[{ href: localHref("/missions", language), label: copy(language).site.missions }, { label: name }]} />
      <div class="hero">
        <p class="eyebrow">{t.eyebrow}</p>
        <h1>{name}</h1>
        <p class="lead">{mission.description[language]}</p>
        <JumpToSignup language={language} />
      </div>
      <div class="two-col">
        <div>
          <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title" class="flush">
              {t.upcomingTitle}
            </h2>
            <ContentOrEmpty items={upcoming} language={language} empty={t.noSeminars} />
          </section>
          <section aria-labelledby="latest-title">
            <h2 id="latest-title">{t.latestTitle}</h2>
            <ContentOrEmpty items={latest} language={language} empty={t.noLatest} />
            <p>
              <a href={archiveHref(mission.id, language)}>{t.allInArchive}</a>
            </p>
            <p>
              <a href={feedHref(mission.id, language)} type="application/atom+xml">
                {t.feed}
              </a>
            </p>
          </section>
          <section aria-labelledby="questions-title">
            <h2 id="questions-title">{t.questions}</h2>
            <p>{fillParts(t.contact, { team: <a href={`mailto:${mission.contact}`}>{mission.contact}</a> })}</p>
          </section>
        </div>
        <SignupSection language={language} state={signup} />
      </div>
    </>
  );
  return layout(language, name, main, {
    path: ctx.path,
    banner: ctx.banner,
    section: "missions",
    wide: true,
    description: mission.description[language],
    feeds: [{ href: feedHref(mission.id, language), title: `${t.feed}: ${name}` }],
  });
}

/** The 404 page for a mission that does not exist or has been retired. */
export function missionNotFoundPage(ctx: PageContext): string {
  const t = copy(ctx.language).missions;
  return layout(
    ctx.language,
    t.notFoundTitle,
    <>
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFound}</p>
      <p>
        <a href={localHref("/missions", ctx.language)}>{t.toOverview}</a>
      </p>
    </>,
    { path: ctx.path, banner: ctx.banner, section: "missions" },
  );
}

/** A page for a request the site refuses (a broken form post): what went wrong and the way back. */
export function refusalPage(language: Language, message: string): string {
  const t = copy(language).site;
  return layout(
    language,
    t.errorTitle,
    <>
      <h1>{t.errorTitle}</h1>
      <p class="error">{message}</p>
      <p>
        <a href={localHref("/missions", language)}>{t.back}</a>
      </p>
    </>,
  );
}

/**
 * The page `POST /subscribe` answers with when JavaScript did not take over: the result ("check your
 * inbox"), the form again with its errors, or the cookie notice. Its sign-up section is the one the
 * site script swaps in when it did.
 */
export function signupResultPage(ctx: PageContext, signup: SignupState): string {
  const { language } = ctx;
  const t = copy(language);
  const failed = signup.kind === "form" && Boolean(signup.errors);
  const title = signup.kind === "sent" ? t.signup.sentTitle : `${failed ? `${t.site.errorPrefix}: ` : ""}${t.signup.title}`;
  return layout(
    language,
    title,
    <div class="narrow standalone">
      <h1>{t.signup.title}</h1>
      <SignupSection language={language} state={signup} />
      <p class="after">
        <a href={localHref("/missions", language)}>{t.site.back}</a>
      </p>
    </div>,
    { path: ctx.path, banner: ctx.banner, section: "missions", wide: true },
  );
}

/** The sentence for a form post refused before it was read (`body_too_large`, …), if the deck has one for the code. */
export function refusalText(language: Language, code: string): string | undefined {
  const refusals: Record<string, string> = copy(language).refusals;
  return refusals[code];
}
