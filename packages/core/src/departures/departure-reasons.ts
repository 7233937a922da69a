import { createHmac } from "node:crypto";
import * as z from "zod";
import { AppError, zodProblems } from "../shared/errors";
import type { Clock } from "../platform/ports";
import type { MissionDirectory } from "../shared/missions";
import { campaignFromTag } from "../shared/campaign-tags";
import { verifyToken } from "../shared/tokens";
import { countForRecipients, type MissionStats } from "../stats";
import type { SubscriberProfiles } from "../subscription";
import type { DepartureAnswer, DepartureAnswers } from "./ports";

/** What the unsubscribe page asks: why did you leave? One of these, optionally with a few words. */
export const DEPARTURE_REASONS = ["too-many-emails", "not-relevant", "never-signed-up", "other"] as const;
export type DepartureReasonCode = (typeof DEPARTURE_REASONS)[number];

/** The longest free text an answer may carry, in characters. */
export const DEPARTURE_TEXT_MAX = 500;

/** An answer as the form or the API sends it; blank text counts as none. */
export const DepartureReasonSchema = z.object({
  reason: z.enum(DEPARTURE_REASONS, { error: `reason must be one of ${DEPARTURE_REASONS.join(", ")}.` }),
  text: z
    .string({ error: "text must be a string." })
    .transform((s) => s.trim())
    .refine((s) => [...s].length <= DEPARTURE_TEXT_MAX, { message: `text must be at most ${DEPARTURE_TEXT_MAX} characters.` })
    .optional(),
});

export interface DepartureDeps {
  store: SubscriberProfiles;
  answers: DepartureAnswers;
  clock: Clock;
  tokenKeys: string[];
  stats?: MissionStats;
}

/**
 * Checks an answer, naming each bad field (400 `validation_failed`): an unknown reason or a text over
 * 500 characters. Nothing is stored for a refused answer.
 */
export function parseDepartureReason(body: unknown): { reason: DepartureReasonCode; text?: string } {
  const parsed = DepartureReasonSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const fields = zodProblems(parsed.error);
    throw new AppError(400, "validation_failed", fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields);
  }
  const { reason, text } = parsed.data;
  return text ? { reason, text } : { reason };
}

/**
 * Records why someone left, after they unsubscribed: the reason and free text with the missions they
 * followed and the campaign of the email they left from (`c`), never their address or id. The manage
 * token of the unsubscribe link proves the answer comes from the person who left; one answer per
 * person is kept (a keyed hash of their id claims it), so a resubmitted form counts once. "Never
 * signed up" is a complaint in other words: it is counted beside complaints in the mission statistics.
 */
export async function recordDepartureReason(deps: DepartureDeps, token: unknown, campaignTag: string | undefined, body: unknown): Promise<{ status: "recorded" | "duplicate" }> {
  const answer = parseDepartureReason(body);
  const now = deps.clock.now();
  const check = verifyToken(deps.tokenKeys, "manage", typeof token === "string" ? token : undefined, now);
  if (!check.ok) throw new AppError(400, check.reason === "expired" ? "token_expired" : "invalid_token", "This link is not valid. Check that you copied the whole link from the email.");
  const subscriber = await deps.store.getSubscriber(check.claims.sub, now);
  if (!subscriber || subscriber.status !== "unsubscribed") throw new AppError(409, "not_unsubscribed", "Only someone who has unsubscribed can say why they left.");
  const campaign = campaignFromTag(campaignTag);
  const stored: DepartureAnswer = {
    answerId: createHmac("sha256", deps.tokenKeys[0]!).update(`departure:${subscriber.id}`).digest("hex").slice(0, 32),
    ...answer,
    missions: [...subscriber.missions],
    ...(campaign ? { campaign } : {}),
    at: new Date(now).toISOString(),
  };
  const status = await deps.answers.record(stored);
  if (status === "recorded" && answer.reason === "never-signed-up") await countForRecipients(deps.stats, [stored.missions], "neverSignedUp", now);
  return { status };
}

/** Answers per reason for one mission in a period, and the free texts given. */
export interface MissionDepartures {
  id: string;
  name: Record<"sv" | "en", string>;
  counts: Record<DepartureReasonCode, number>;
  total: number;
  /** The free texts, newest first (at most 50 per mission). */
  comments: { reason: DepartureReasonCode; text: string; at: string; campaign?: string }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

/**
 * The answers per mission and reason for the days from `from` to `to` (YYYY-MM-DD, both included,
 * UTC, at most 366 days; default the last 30), for one mission or all. An answer of someone who
 * followed two missions counts for each. Bad dates are 400 naming the field; an unknown mission 404.
 */
export async function departureSummary(
  deps: { answers: DepartureAnswers; store: MissionDirectory; clock: Clock },
  query: { mission?: string; from?: string; to?: string },
): Promise<{ from: string; to: string; reasons: readonly DepartureReasonCode[]; missions: MissionDepartures[] }> {
  const today = new Date(deps.clock.now()).toISOString().slice(0, 10);
  const isDay = (s: string) => {
    const ms = DAY.test(s) ? Date.parse(`${s}T00:00:00Z`) : Number.NaN;
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  };
  const to = query.to ?? today;
  const from = query.from ?? (isDay(to) ? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10) : to);
  const fields = [
    ...(isDay(from) ? [] : [{ field: "from", message: "from must be a date like 2026-12-01." }]),
    ...(isDay(to) ? [] : [{ field: "to", message: "to must be a date like 2026-12-31." }]),
  ];
  if (!fields.length) {
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) fields.push({ field: "from", message: "from must not be after to." });
    else if (days > MAX_DAYS) fields.push({ field: "from", message: `The period may be at most ${MAX_DAYS} days.` });
  }
  if (fields.length) throw new AppError(400, "validation_failed", fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields);
  const catalogue = await deps.store.listMissions();
  if (query.mission !== undefined && !catalogue.some((m) => m.id === query.mission)) throw new AppError(404, "mission_not_found", `No mission "${query.mission.slice(0, 64)}".`);
  const untilIso = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  const answers = await deps.answers.between(`${from}T00:00:00.000Z`, untilIso);
  const chosen = catalogue.filter((m) => query.mission === undefined || m.id === query.mission);
  const missions = chosen.map((m): MissionDepartures => {
    const mine = answers.filter((a) => a.missions.includes(m.id));
    const counts = Object.fromEntries(DEPARTURE_REASONS.map((r) => [r, mine.filter((a) => a.reason === r).length])) as Record<DepartureReasonCode, number>;
    const comments = mine
      .filter((a) => a.text)
      .reverse()
      .slice(0, 50)
      .map((a) => ({ reason: a.reason, text: a.text!, at: a.at, ...(a.campaign ? { campaign: a.campaign } : {}) }));
    return { id: m.id, name: m.name, counts, total: mine.length, comments };
  });
  return { from, to, reasons: DEPARTURE_REASONS, missions };
}
