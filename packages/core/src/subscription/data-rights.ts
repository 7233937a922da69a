import * as z from "zod";
import { AppError, zodProblems } from "../shared/errors";
import type { ConsentLedger, ConsentRecord } from "../consent";
import type { Clock, Ids, MailQueue } from "../platform/ports";
import type { DeliveryHistory, DeliveryRecord, LinkUses, RateLimiter, SubscriberProfiles, SuppressionList, Suppression } from "./ports";
import { countMembership, type MissionStats } from "../stats";
import { verifyToken, type DataRightsAction } from "../shared/tokens";
import { tokenError } from "./confirm";
import { subscriberFor } from "./preferences";
import type { Cadence, Language, Topic } from "../shared/vocabulary";

export interface DataRightsDeps {
  store: SubscriberProfiles & ConsentLedger & DeliveryHistory & SuppressionList & LinkUses;
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

/** How often one emailed export link downloads the data; an erasure link works once. */
export const LINK_USES: Record<DataRightsAction, number> = { export: 3, erase: 1 };

/** A data-rights link that checks out: whose it is, its id and its expiry (epoch seconds). */
export interface DataRightsLink {
  subscriberId: string;
  linkId: string;
  expiresAt: number;
}

/**
 * Checks a data-rights token for one action: signed, unexpired, issued for exactly this action
 * (403 `wrong_link_action` otherwise: an export link never erases) and carrying its link id. Counts
 * nothing; see `useLink`.
 */
export function dataRightsLink(deps: Pick<DataRightsDeps, "tokenKeys" | "clock">, token: unknown, action: DataRightsAction): DataRightsLink {
  const check = verifyToken(deps.tokenKeys, "data-rights", typeof token === "string" ? token : undefined, deps.clock.now());
  if (!check.ok) throw tokenError(check.reason, DATA_RIGHTS_EXPIRED);
  const { sub, id, exp, action: bound } = check.claims;
  if (!bound || !id) throw tokenError("malformed");
  if (bound !== action) {
    throw new AppError(403, "wrong_link_action", `This link was sent to ${bound === "export" ? "download" : "erase"} your data and cannot ${action === "export" ? "download" : "erase"} it. Ask for the right link from your preferences.`);
  }
  return { subscriberId: sub, linkId: id, expiresAt: exp };
}

/** Counts one use of a link for its action, refusing with 410 `link_used` once they are spent. */
async function useLink(deps: Pick<DataRightsDeps, "store">, link: DataRightsLink, action: DataRightsAction): Promise<void> {
  if (await deps.store.useLink(link.linkId, LINK_USES[action], link.expiresAt)) return;
  throw new AppError(
    410,
    "link_used",
    action === "export"
      ? `This link has already downloaded your data ${LINK_USES.export} times. Ask for a new one from your preferences.`
      : "This link has already been used. An erasure link works once.",
  );
}

/** Everything stored about the holder of a data-rights token: profile, consent ledger, delivery history. */
export async function exportData(deps: Pick<DataRightsDeps, "store" | "clock" | "tokenKeys">, token: unknown): Promise<DataExport> {
  const link = dataRightsLink(deps, token, "export");
  const subscriberId = link.subscriberId;
  await useLink(deps, link, "export");
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
 * interrupted erasure. A link erases once (410 `link_used` after that); if the erasure fails, its use
 * is given back so the same link can finish it.
 */
export async function eraseData(deps: Pick<DataRightsDeps, "store" | "clock" | "ids" | "tokenKeys" | "stats">, token: unknown): Promise<{ status: "erased"; language?: Language }> {
  const link = dataRightsLink(deps, token, "erase");
  const subscriberId = link.subscriberId;
  await useLink(deps, link, "erase");
  const now = deps.clock.now();
  let subscriber;
  try {
    subscriber = await deps.store.getSubscriber(subscriberId, now);
    const at = new Date(now).toISOString();
    await deps.store.erase(subscriberId, subscriber, { id: deps.ids.next(), subscriberId, at, event: "erased" });
  } catch (err) {
    await deps.store.releaseLink(link.linkId);
    throw err;
  }
  if (subscriber?.status === "active") await countMembership(deps.stats, subscriber.missions, [], now);
  return { status: "erased", ...(subscriber ? { language: subscriber.language } : {}) };
}
