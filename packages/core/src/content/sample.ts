import type { ContentEvent, ContentItem } from "./schema";

const DAY = 86_400_000;
const SITE = "https://missions.example.org";

/** A day at 09:00–11:00 UTC+1 (10:00–12:00 in summer time), `days` from `nowMs`. */
function slot(nowMs: number, days: number, hours = 2) {
  const d = new Date(nowMs + days * DAY);
  // Seminars are held on weekdays.
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(8, 0, 0, 0);
  return { startsAt: d.toISOString(), endsAt: new Date(d.getTime() + hours * 3_600_000).toISOString() };
}

/**
 * Sample content for a fresh local stack, drawn from the agency's public Missions pages: the Missions
 * Playbook publication, its launch event, and a seminar per mission, dated around `nowMs` so that
 * alerts, digests and archives have something real to show at once.
 */
export function sampleContent(nowMs: number): ContentEvent[] {
  const published = new Date(nowMs - 2 * DAY).toISOString();
  const items: ContentItem[] = [
    {
      id: "sample-missions-playbook",
      version: 1,
      kind: "publication",
      missions: ["impact-innovation", "vision-driven-health", "food-system", "societal-contract"],
      language: "sv",
      title: "TRAMI Missions Playbook – lärdomar från missionsorienterade arbetssätt",
      summary:
        "En bok med erfarenheter och lärdomar från det europeiska nätverket TRAMI, för tjänstepersoner inom innovation och samhällsutveckling: berättelser, principer och fyra case om hur program och satsningar designas.",
      url: `${SITE}/publikationer/trami-missions-playbook`,
      publishedAt: published,
    },
    {
      id: "sample-playbook-launch",
      version: 1,
      kind: "seminar",
      missions: ["impact-innovation", "vision-driven-health", "food-system", "societal-contract"],
      language: "sv",
      title: "Delta i lanseringen av TRAMI Missions Playbook",
      summary: "Lansering av boken med samtal om de vanligaste utmaningarna i missionsorienterat arbete: nationell och regional nivå, privat sektor och medborgarnas roll.",
      url: `${SITE}/evenemang/lansering-missions-playbook`,
      publishedAt: published,
      ...slot(nowMs, 10),
      location: "Digitalt",
      registrationUrl: `${SITE}/evenemang/lansering-missions-playbook/anmalan`,
    },
    ...(
      [
        ["food-system", "Ett nytt recept för matsystemet: från jord till bord", "Aktörer från hela livsmedelskedjan delar hur de arbetar mot gemensamma mål för ett hållbart och hälsosamt matsystem.", "sv", 7],
        ["mobility", "Mobility for sustainable cities: co-creating everyday travel", "Municipalities, businesses and residents on designing accessible, sustainable mobility together.", "en", 14],
        ["vision-driven-health", "Visionsdriven hälsa: vägen mot jämlik hälsa", "Hur vården och samhället kan utvecklas mot en gemensam vision om jämlik hälsa.", "sv", 21],
        ["impact-innovation", "Impact Innovation: systemförändring i praktiken", "Erfarenheter från långsiktiga program som möter globala samhällsutmaningar.", "sv", 28],
        ["societal-contract", "Samhällskontraktet: tillit och delaktighet", "Ett seminarium om hur ett nytt samhällskontrakt kan byggas tillsammans med invånare.", "sv", 35],
      ] as const
    ).map(
      ([mission, title, summary, language, days]): ContentItem => ({
        id: `sample-seminar-${mission}`,
        version: 1,
        kind: "seminar",
        missions: [mission],
        language,
        title,
        summary,
        url: `${SITE}/evenemang/${mission}`,
        publishedAt: published,
        ...slot(nowMs, days),
        location: language === "sv" ? "Stockholm och digitalt" : "Stockholm and online",
      }),
    ),
  ];
  return items.map((item) => ({ type: "content.published", item }));
}
