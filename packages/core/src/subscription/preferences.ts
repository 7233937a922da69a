import { AppError, type FieldProblem, zodProblems } from "../shared/errors";
import { recordFor, type ConsentSource } from "../consent";
import type { Clock, Ids } from "../platform/ports";
import { countMembership, type MissionStats } from "../stats";
import type { MissionDirectory } from "../shared/missions";
import type { Subscriber, SubscriberProfiles } from "./ports";
import { verifyToken } from "../shared/tokens";
import { tokenError } from "./confirm";
import { PreferencesUpdate } from "./schema";
import { type Cadence, type Language, type Topic } from "../shared/vocabulary";
import { unknownMissions } from "./subscribe";
import { cadenceByMissionProblems, normaliseCadences } from "./cadences";

export interface PreferencesDeps {
  store: SubscriberProfiles & MissionDirectory;
  clock: Clock;
  ids: Ids;
  tokenKeys: string[];
  stats?: MissionStats;
}

/** What the preference centre shows and `GET /api/preferences` returns. The address is masked. */
export interface PreferencesView {
  status: "active" | "unsubscribed";
  email: string;
  language: Language;
  missions: string[];
  topics: Topic[];
  cadence: Cadence;
  /** The chosen missions whose cadence differs from `cadence` (an empty object when there are none). */
  cadenceByMission: Record<string, Cadence>;
  tracking: boolean;
  /** The missions one can choose from: every active one, plus retired ones still chosen. */
  available: { id: string; name: Record<Language, string>; retired?: true }[];
}

const MANAGE_EXPIRED = "This link has expired. Use the link in the latest email from us.";

/** The subscriber a manage token stands for; refuses bad tokens and subscribers that are gone. */
export async function subscriberFor(deps: Pick<PreferencesDeps, "clock" | "tokenKeys"> & { store: SubscriberProfiles }, token: unknown): Promise<Subscriber> {
  const now = deps.clock.now();
  const check = verifyToken(deps.tokenKeys, "manage", typeof token === "string" ? token : undefined, now);
  if (!check.ok) throw tokenError(check.reason, MANAGE_EXPIRED);
  const subscriber = await deps.store.getSubscriber(check.claims.sub, now);
  if (!subscriber || subscriber.status === "pending") {
    throw new AppError(404, "not_found", "There is no subscription for this link any more. It may have been erased.");
  }
  return subscriber;
}

/** `a•••@example.org`: enough for a person to recognise their address, not enough to harvest it from a forwarded email. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, 1)}•••${address.slice(at)}`;
}

async function view(deps: PreferencesDeps, s: Subscriber): Promise<PreferencesView> {
  const missions = await deps.store.listMissions();
  return {
    status: s.status === "active" ? "active" : "unsubscribed",
    email: maskAddress(s.email),
    language: s.language,
    missions: s.missions,
    topics: s.topics,
    cadence: s.cadence,
    cadenceByMission: normaliseCadences(s) ?? {},
    tracking: s.tracking === true,
    available: missions
      .filter((m) => m.status === "active" || s.missions.includes(m.id))
      .map((m) => ({ id: m.id, name: m.name, ...(m.status === "retired" ? { retired: true as const } : {}) })),
  };
}

/** The preference centre's view of a subscriber, for a manage token. Reading changes nothing. */
export async function readPreferences(deps: PreferencesDeps, token: unknown): Promise<PreferencesView> {
  return view(deps, await subscriberFor(deps, token));
}

/**
 * Saves a subscriber's choices: missions, topics, cadence, language and open/click tracking. The
 * profile, the fan-out memberships that changed and an "updated" ledger record are written in one
 * transaction, so the next send already follows the new choices. Refused input stores nothing.
 */
export async function updatePreferences(deps: PreferencesDeps, token: unknown, body: unknown, source: ConsentSource): Promise<PreferencesView> {
  const before = await subscriberFor(deps, token);
  const parsed = PreferencesUpdate.safeParse(body);
  const problems: FieldProblem[] = parsed.success ? [] : zodProblems(parsed.error);
  const raw = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  // A retired mission a subscriber still has may stay chosen; it just cannot be newly added.
  const unknown = await unknownMissions(deps.store, raw.missions, problems);
  problems.push(...unknown.filter((p) => !before.missions.includes((raw.missions as string[])[Number(p.field.split(".")[1])]!)));
  const missions = await deps.store.listMissions();
  const choosable = (id: string) => missions.some((m) => m.id === id && (m.status === "active" || before.missions.includes(id)));
  problems.push(...cadenceByMissionProblems(raw, choosable, problems));
  if (!parsed.success || problems.length) {
    throw new AppError(400, "validation_failed", "The preferences have invalid fields; see fields for each problem.", problems);
  }
  if (before.status !== "active") {
    throw new AppError(409, "not_subscribed", "You have unsubscribed, so there is nothing to change. Sign up again to receive email.");
  }
  const choices = parsed.data;
  const { cadenceByMission: _wanted, ...rest } = choices;
  const { cadenceByMission: _was, ...kept } = before;
  const after: Subscriber = { ...kept, ...rest, missions: [...new Set(choices.missions)], topics: [...new Set(choices.topics)] };
  const overrides = normaliseCadences({ missions: after.missions, cadence: after.cadence, ...(choices.cadenceByMission ? { cadenceByMission: choices.cadenceByMission } : {}) });
  if (overrides) after.cadenceByMission = overrides;
  const iso = new Date(deps.clock.now()).toISOString();
  const changes = after.missions.length * after.topics.length + before.missions.length * before.topics.length;
  if (changes > 98) {
    throw new AppError(422, "too_many_changes", "Too many missions and topics change at once; change fewer at a time.");
  }
  const result = await deps.store.updatePreferences(before, after, recordFor(after, "updated", iso, deps.ids.next(), source));
  if (result === "not_active") {
    throw new AppError(409, "conflict", "Your preferences changed in the meantime (or you unsubscribed). Reload the page and try again.");
  }
  await countMembership(deps.stats, before.missions, after.missions, deps.clock.now());
  return view(deps, { ...after, preferencesAt: iso });
}
