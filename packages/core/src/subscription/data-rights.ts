import * as z from "zod";
import { AppError, zodProblems } from "../shared/errors";
import type { ConsentLedger, ConsentRecord } from "../consent";
import type { Clock, Ids, MailQueue } from "../platform/ports";
import type { DeliveryHistory, DeliveryRecord, RateLimiter, SubscriberProfiles, SuppressionList, Suppression } from "./ports";
import { countMembership, type MissionStats } from "../stats";
import { verifyToken } from "../shared/tokens";
import { tokenError } from "./confirm";
import { subscriberFor } from "./preferences";
import type { Cadence, Language, Topic } from "../shared/vocabulary";

export interface DataRightsDeps {
  store: SubscriberProfiles & ConsentLedger & DeliveryHistory & SuppressionList;
  limiter: RateLimiter;
  queue: MailQueue;
  clock: Clock;
  ids: Ids;
  tokenKeys: string[];
  stats?: MissionStats;
}

/** The body of `POST /api/me/requests`. */
export const DataRightsRequest = z.object({ action: z.enum(["export", "erase"], { error: 'action must be "export" or "erase".' }) }).strict();

/** Data-rights emails one subscriber may ask for per hour. */
const REQUESTS_PER_HOUR = 5;

/**
 * Starts an export or an erasure from the preference centre. It does not act at once: it emails a
 * one-hour data-rights link to the subscriber's own address, so whoever holds a forwarded newsletter
 * (and so the manage token) cannot read or erase the subscriber's data.
 */
export async function requestDataRights(deps: DataRightsDeps, manageToken: unknown, body: unknown): Promise<{ status: "sent"; action: "export" | "erase" }> {
  const subscriber = await subscriberFor(deps, manageToken);
  const parsed = DataRightsRequest.safeParse(body);
  if (!parsed.success) throw new AppError(400, "validation_failed", "The request has invalid fields; see fields for each problem.", zodProblems(parsed.error));
  const limit = await deps.limiter.hit("data-rights", subscriber.id, REQUESTS_PER_HOUR, 3600, deps.clock.now());
  if (!limit.allowed) {
    throw new AppError(429, "rate_limited", "You have asked for several links within the hour. Please use the latest email, or try again later.", undefined, {
      "Retry-After": String(limit.retryAfterSeconds),
    });
  }
  const { action } = parsed.data;
  await deps.queue.enqueue({ kind: action === "export" ? "data-export" : "data-erase", subscriberId: subscriber.id, requestId: deps.ids.next() });
  return { status: "sent", action };
}

/** Everything stored about a person, as `GET /api/me/export` returns it. */
export interface DataExport {
  exportedAt: string;
  subscriber: {
    id: string;
    email: string;
    status: string;
    language: Language;
    missions: string[];
    topics: Topic[];
    cadence: Cadence;
    /** Missions followed at another cadence than `cadence`; absent when there are none. */
    cadenceByMission?: Record<string, Cadence>;
    tracking: boolean;
    policyVersion: string;
    createdAt: string;
    confirmedAt?: string;
    preferencesAt?: string;
    unsubscribedAt?: string;
  };
  consentLedger: ConsentRecord[];
  deliveries: DeliveryRecord[];
  suppression?: Suppression;
}

const DATA_RIGHTS_EXPIRED = "This link has expired: it works for one hour. Ask for a new one from your preferences.";

async function holderOf(deps: Pick<DataRightsDeps, "tokenKeys" | "clock">, token: unknown): Promise<string> {
  const check = verifyToken(deps.tokenKeys, "data-rights", typeof token === "string" ? token : undefined, deps.clock.now());
  if (!check.ok) throw tokenError(check.reason, DATA_RIGHTS_EXPIRED);
  return check.claims.sub;
}

/** Everything stored about the holder of a data-rights token: profile, consent ledger, delivery history. */
export async function exportData(deps: Pick<DataRightsDeps, "store" | "clock" | "tokenKeys">, token: unknown): Promise<DataExport> {
  const subscriberId = await holderOf(deps, token);
  const now = deps.clock.now();
  const s = await deps.store.getSubscriber(subscriberId, now);
  if (!s) throw new AppError(404, "not_found", "We hold no data for this link: it has been erased, or the sign-up expired unconfirmed.");
  const [consentLedger, deliveries, suppression] = await Promise.all([deps.store.ledger(s.id), deps.store.deliveries(s.id), deps.store.suppression(s.addressHmac)]);
  const raw = s as typeof s & { unsubscribedAt?: string };
  return {
    exportedAt: new Date(now).toISOString(),
    subscriber: {
      id: s.id,
      email: s.email,
      status: s.status,
      language: s.language,
      missions: s.missions,
      topics: s.topics,
      cadence: s.cadence,
      ...(s.cadenceByMission && Object.keys(s.cadenceByMission).length ? { cadenceByMission: s.cadenceByMission } : {}),
      tracking: s.tracking === true,
      policyVersion: s.policyVersion,
      createdAt: s.createdAt,
      ...(s.confirmedAt ? { confirmedAt: s.confirmedAt } : {}),
      ...(s.preferencesAt ? { preferencesAt: s.preferencesAt } : {}),
      ...(raw.unsubscribedAt ? { unsubscribedAt: raw.unsubscribedAt } : {}),
    },
    consentLedger,
    deliveries,
    ...(suppression ? { suppression } : {}),
  };
}

/**
 * Erases the holder of a data-rights token. What is left: the address's peppered HMAC on the
 * suppression list (so no copy we still hold, such as a restored backup, can mail them) and an
 * "erased" ledger entry with a time and nothing else. Erasing again is harmless and finishes an
 * interrupted erasure.
 */
export async function eraseData(deps: Pick<DataRightsDeps, "store" | "clock" | "ids" | "tokenKeys" | "stats">, token: unknown): Promise<{ status: "erased"; language?: Language }> {
  const subscriberId = await holderOf(deps, token);
  const now = deps.clock.now();
  const subscriber = await deps.store.getSubscriber(subscriberId, now);
  const at = new Date(now).toISOString();
  await deps.store.erase(subscriberId, subscriber, { id: deps.ids.next(), subscriberId, at, event: "erased" });
  if (subscriber?.status === "active") await countMembership(deps.stats, subscriber.missions, [], now);
  return { status: "erased", ...(subscriber ? { language: subscriber.language } : {}) };
}
