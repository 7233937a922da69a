import type { ContentItem, Seminar } from "@mission-mail/core/content/schema";
import { currentPolicy } from "@mission-mail/core/consent/policies";
import type { Mission, MissionDirectory } from "@mission-mail/core/shared/missions";
import type { ContentStore } from "@mission-mail/core/content/ports";
import type { CookieChoice } from "@mission-mail/web/cookie-consent";
import { localHref, pageLanguage } from "@mission-mail/web/layout";
import type { PageContext } from "@mission-mail/web/missions-pages";
import { defaultSignupValues, type SignupState } from "@mission-mail/web/signup-widget";
import { cookieChoice } from "./cookies";
import type { HttpEvent } from "./http";

/** How far back the archive and feed reach (24 months), and how far ahead seminars are listed (12 months). */
export const ARCHIVE_MONTHS_BACK = 24;
export const SEMINARS_MONTHS_AHEAD = 12;

/** Mission ids are kebab-case, as the catalogue and the sign-up schema require; anything else is simply not found. */
const MISSION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A public page and its visitor. */
export interface Visitor extends PageContext {
  /** The page in its language: where cookie forms return to. */
  returnTo: string;
  choice: CookieChoice | undefined;
}

/** A public page's visitor: language from `?lang=`, cookie choice from the consent cookie. */
export function visitor(event: HttpEvent, path: string): Visitor {
  const choice = cookieChoice(event);
  const language = pageLanguage(event.queryStringParameters?.lang);
  return { language, path, returnTo: localHref(path, language), banner: !choice, choice };
}

/** The active missions, in catalogue order. */
export async function activeMissions(store: MissionDirectory): Promise<Mission[]> {
  return (await store.listMissions()).filter((m) => m.status === "active");
}

/** The mission with this id among `missions`, or undefined for an unknown or malformed id. */
export function findMission(missions: Mission[], id: string | undefined): Mission | undefined {
  if (!id || id.length > 64 || !MISSION_ID.test(id)) return undefined;
  return missions.find((m) => m.id === id);
}

const monthsFrom = (nowMs: number, months: number) => {
  const d = new Date(nowMs);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};

/**
 * A mission's public content in the archive's window, by the content store's date-range queries:
 * seminars from 24 months back to 12 ahead, split at now into coming (soonest first) and past, and
 * publications and news from the last 24 months up to now.
 */
export async function missionContent(
  content: Pick<ContentStore, "upcomingSeminars" | "articlesBetween">,
  missionId: string,
  nowMs: number,
): Promise<{ upcoming: Seminar[]; past: ContentItem[] }> {
  const from = monthsFrom(nowMs, -ARCHIVE_MONTHS_BACK);
  const [seminars, published] = await Promise.all([
    content.upcomingSeminars(missionId, from, monthsFrom(nowMs, SEMINARS_MONTHS_AHEAD)),
    // Up to and including now: an item dated in the future is not public yet.
    content.articlesBetween(missionId, from, new Date(nowMs + 1).toISOString()),
  ]);
  const asSeminars = seminars.filter((s): s is Seminar => s.kind === "seminar");
  const upcoming = asSeminars.filter((s) => Date.parse(s.endsAt) >= nowMs).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const pastSeminars = asSeminars.filter((s) => Date.parse(s.endsAt) < nowMs);
  return { upcoming, past: [...pastSeminars, ...published] };
}

/** Coming seminars across missions, each once, soonest first: for the overview. */
export async function upcomingAcross(content: Pick<ContentStore, "upcomingSeminars">, missionIds: string[], nowMs: number, limit: number): Promise<Seminar[]> {
  // From a day back, so a seminar that is on right now is still listed.
  const from = new Date(nowMs - 86_400_000).toISOString();
  const lists = await Promise.all(missionIds.map((id) => content.upcomingSeminars(id, from, monthsFrom(nowMs, SEMINARS_MONTHS_AHEAD))));
  const byId = new Map<string, Seminar>();
  for (const item of lists.flat()) if (item.kind === "seminar" && Date.parse(item.endsAt) >= nowMs) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id)).slice(0, limit);
}

/**
 * What the sign-up section shows for this visitor: the form (with the page's mission chosen) only
 * with functional cookies allowed; otherwise the notice, or the prompt to choose while no choice is
 * made. The server decides, so the gate holds without JavaScript.
 */
export function signupState(
  ctx: Pick<Visitor, "language" | "choice" | "returnTo" | "path">,
  missions: Mission[],
  missionId?: string,
): SignupState {
  if (!ctx.choice) return { kind: "undecided", returnTo: ctx.returnTo };
  if (!ctx.choice.functional) return { kind: "declined", returnTo: ctx.returnTo, statistics: ctx.choice.statistics };
  return { kind: "form", missions, values: defaultSignupValues(ctx.language, missionId), policy: currentPolicy(), from: ctx.path };
}
