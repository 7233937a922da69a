import type { ContentItem, Seminar } from "@mission-mail/core/content/schema";
import { escapeHtml } from "@mission-mail/core/shared/escape";
import type { Mission } from "@mission-mail/core/shared/missions";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { contentList } from "./content-list";
import { layout, localHref } from "./layout";
import { signupSection, signupText, type SignupState } from "./signup-widget";

const TEXT = {
  sv: {
    overviewTitle: "Missions – ett nytt sätt att möta samhällsutmaningar",
    overviewLead:
      "Samhällets stora utmaningar, som klimatförändringar, fattigdom och ojämlik hälsa, är komplexa och globala. Enskilda insatser räcker inte: det krävs förändring på systemnivå. I missions arbetar många aktörer i samma riktning mot gemensamma mål.",
    approachTitle: "Vad innebär missions som angreppssätt?",
    approach:
      "Ett missionsorienterat arbetssätt syftar till systemförändring. Aktörer från olika sektorer, branscher och discipliner samlas kring ett djärvt, inspirerande och mätbart mål som ska nås inom en viss tid och som berör en stor del av befolkningen.",
    principles: [
      "Samarbeten över gränserna mellan sektorer och branscher.",
      "En blandning av initiativ uppifrån och nerifrån, med gemensam riktning.",
      "Aktörer på systemnivå samordnar, men omställningen sker när alla går mot det mål man formulerat tillsammans.",
      "Målen tar sig an verkliga samhällsutmaningar som spänner över flera av målen i Agenda 2030.",
    ],
    missionsTitle: "Våra missioner",
    about: "Om missionen",
    archive: "Arkiv",
    seminarsTitle: "Aktuella seminarier inom missions",
    noSeminars: "Inga seminarier är inplanerade just nu. Prenumerera så får du veta när nästa blir av.",
    eyebrow: "Mission",
    breadcrumb: "Du är här",
    upcomingTitle: "Kommande seminarier",
    latestTitle: "Senaste publikationer och nyheter",
    noLatest: "Inga publikationer eller nyheter ännu.",
    allInArchive: "Alla seminarier, publikationer och nyheter i arkivet",
    feed: "Atom-flöde för missionen",
    questions: "Frågor?",
    contact: (team: string) => `Kontakta missionens team på ${team}.`,
    notFoundTitle: "Sidan finns inte",
    notFound: "Vi hittar ingen mission med den adressen. Den kan ha avslutats eller flyttats.",
    toOverview: "Se alla missioner",
    errorTitle: "Något gick fel",
    sentPage: "Kolla din inkorg",
    signupPage: "Prenumerera på nyhetsbrevet",
    errorPrefix: "Fel",
    back: "Tillbaka till Missions",
    jump: "Prenumerera på nyhetsbrevet",
  },
  en: {
    overviewTitle: "Missions – a new way to meet societal challenges",
    overviewLead:
      "Society's great challenges, such as climate change, poverty and unequal health, are complex and global. Single efforts are not enough: change is needed at the level of whole systems. In missions, many actors work in the same direction towards shared goals.",
    approachTitle: "What is the mission-oriented approach?",
    approach:
      "A mission-oriented approach aims at systems change. Actors from different sectors, industries and disciplines gather around a bold, inspiring and measurable goal, to be reached within a set time, that matters to a large part of the population.",
    principles: [
      "Collaboration across sectors and industries.",
      "A mix of top-down and bottom-up initiatives with a shared direction.",
      "Actors at system level coordinate, but the transition happens when everyone moves towards the goal they set together.",
      "The goals take on real societal challenges that span several of the 2030 Agenda goals.",
    ],
    missionsTitle: "Our missions",
    about: "About the mission",
    archive: "Archive",
    seminarsTitle: "Upcoming seminars within missions",
    noSeminars: "No seminars are planned just now. Subscribe to hear when the next one is.",
    eyebrow: "Mission",
    breadcrumb: "You are here",
    upcomingTitle: "Upcoming seminars",
    latestTitle: "Latest publications and news",
    noLatest: "No publications or news yet.",
    allInArchive: "All seminars, publications and news in the archive",
    feed: "Atom feed for the mission",
    questions: "Questions?",
    contact: (team: string) => `Contact the mission's team at ${team}.`,
    notFoundTitle: "Page not found",
    notFound: "We cannot find a mission at that address. It may have ended or moved.",
    toOverview: "See all missions",
    errorTitle: "Something went wrong",
    sentPage: "Check your inbox",
    signupPage: "Subscribe to the newsletter",
    errorPrefix: "Error",
    back: "Back to Missions",
    jump: "Subscribe to the newsletter",
  },
} as const;

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

function breadcrumbs(language: Language, trail: { href?: string; label: string }[]): string {
  const items = trail.map((c) => (c.href ? `<li><a href="${escapeHtml(c.href)}">${escapeHtml(c.label)}</a></li>` : `<li aria-current="page">${escapeHtml(c.label)}</li>`));
  return `<nav class="breadcrumbs" aria-label="${TEXT[language].breadcrumb}"><ol>${items.join("")}</ol></nav>`;
}

/** `GET /missions`: what the approach is, one card per active mission, current seminars, and the sign-up widget. */
export function overviewPage(ctx: PageContext, missions: Mission[], seminars: Seminar[], signup: SignupState): string {
  const { language } = ctx;
  const t = TEXT[language];
  const cards = missions
    .map(
      (m) => `  <li class="card">
    <h3><a href="${escapeHtml(missionHref(m.id, language))}">${escapeHtml(m.name[language])}</a></h3>
    <p>${escapeHtml(m.description[language])}</p>
    <ul class="links">
      <li><a href="${escapeHtml(missionHref(m.id, language))}">${t.about}<span class="visually-hidden">: ${escapeHtml(m.name[language])}</span></a></li>
      <li><a href="${escapeHtml(archiveHref(m.id, language))}">${t.archive}<span class="visually-hidden">: ${escapeHtml(m.name[language])}</span></a></li>
    </ul>
  </li>`,
    )
    .join("\n");
  const main = `<div class="hero">
<h1>${t.overviewTitle}</h1>
<p class="lead">${t.overviewLead}</p>
<a class="button jump" href="#signup">${t.jump}</a>
</div>
<section aria-labelledby="missions-title">
<h2 id="missions-title">${t.missionsTitle}</h2>
<ul class="grid">
${cards}
</ul>
</section>
<div class="two-col">
<div>
<section aria-labelledby="approach-title" class="panel">
<h2 id="approach-title" class="flush">${t.approachTitle}</h2>
<p>${t.approach}</p>
<ul class="principles">
${t.principles.map((p) => `  <li>${p}</li>`).join("\n")}
</ul>
</section>
<section aria-labelledby="seminars-title">
<h2 id="seminars-title">${t.seminarsTitle}</h2>
${seminars.length ? contentList(seminars, language) : `<p>${t.noSeminars}</p>`}
</section>
</div>
${signupSection(language, signup)}
</div>`;
  return layout(language, t.overviewTitle, main, { path: ctx.path, banner: ctx.banner, section: "missions", wide: true, description: t.overviewLead });
}

/** `GET /missions/{id}`: one mission, its coming seminars and latest articles, and the sign-up widget with it chosen. */
export function missionPage(ctx: PageContext, mission: Mission, upcoming: Seminar[], latest: ContentItem[], signup: SignupState): string {
  const { language } = ctx;
  const t = TEXT[language];
  const name = mission.name[language];
  const main = `${breadcrumbs(language, [{ href: localHref("/missions", language), label: "Missions" }, { label: name }])}
<div class="hero">
<p class="eyebrow">${t.eyebrow}</p>
<h1>${escapeHtml(name)}</h1>
<p class="lead">${escapeHtml(mission.description[language])}</p>
<a class="button jump" href="#signup">${t.jump}</a>
</div>
<div class="two-col">
<div>
<section aria-labelledby="upcoming-title">
<h2 id="upcoming-title" class="flush">${t.upcomingTitle}</h2>
${upcoming.length ? contentList(upcoming, language) : `<p>${t.noSeminars}</p>`}
</section>
<section aria-labelledby="latest-title">
<h2 id="latest-title">${t.latestTitle}</h2>
${latest.length ? contentList(latest, language) : `<p>${t.noLatest}</p>`}
<p><a href="${escapeHtml(archiveHref(mission.id, language))}">${t.allInArchive}</a></p>
<p><a href="${escapeHtml(feedHref(mission.id, language))}" type="application/atom+xml">${t.feed}</a></p>
</section>
<section aria-labelledby="questions-title">
<h2 id="questions-title">${t.questions}</h2>
<p>${t.contact(`<a href="mailto:${escapeHtml(mission.contact)}">${escapeHtml(mission.contact)}</a>`)}</p>
</section>
</div>
${signupSection(language, signup)}
</div>`;
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
  const t = TEXT[ctx.language];
  return layout(
    ctx.language,
    t.notFoundTitle,
    `<h1>${t.notFoundTitle}</h1>
<p>${t.notFound}</p>
<p><a href="${escapeHtml(localHref("/missions", ctx.language))}">${t.toOverview}</a></p>`,
    { path: ctx.path, banner: ctx.banner, section: "missions" },
  );
}

/** A page for a request the site refuses (a broken form post): what went wrong and the way back. */
export function refusalPage(language: Language, message: string): string {
  const t = TEXT[language];
  return layout(
    language,
    t.errorTitle,
    `<h1>${t.errorTitle}</h1>
<p class="error">${escapeHtml(message)}</p>
<p><a href="${escapeHtml(localHref("/missions", language))}">${t.back}</a></p>`,
  );
}

/**
 * The page `POST /subscribe` answers with when JavaScript did not take over: the result ("check your
 * inbox"), the form again with its errors, or the cookie notice. Its sign-up section is the one the
 * site script swaps in when it did.
 */
export function signupResultPage(ctx: PageContext, signup: SignupState): string {
  const t = TEXT[ctx.language];
  const failed = signup.kind === "form" && Boolean(signup.errors);
  const title = signup.kind === "sent" ? t.sentPage : `${failed ? `${t.errorPrefix}: ` : ""}${t.signupPage}`;
  return layout(
    ctx.language,
    title,
    `<div class="narrow standalone">
<h1>${signupText(ctx.language).title}</h1>
${signupSection(ctx.language, signup)}
<p class="after"><a href="${escapeHtml(localHref("/missions", ctx.language))}">${t.back}</a></p>
</div>`,
    { path: ctx.path, banner: ctx.banner, section: "missions", wide: true },
  );
}
