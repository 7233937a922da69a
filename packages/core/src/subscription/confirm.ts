import { AppError } from "../shared/errors";
import { recordFor } from "../consent";
import type { Clock, Ids, MailQueue } from "../platform/ports";
import { countMembership, type MissionStats } from "../stats";
import type { MissionDirectory } from "../shared/missions";
import type { SubscriberProfiles } from "./ports";
import { verifyToken } from "../shared/tokens";

export interface ConfirmDeps {
  store: SubscriberProfiles & MissionDirectory;
  clock: Clock;
  ids: Ids;
  tokenKeys: string[];
  stats?: MissionStats;
  /** The send queue the welcome goes on; without it no welcome is sent. */
  queue?: MailQueue;
}

/** The request id of a subscriber's welcome: one per subscriber, so a redelivered job is sent once. */
export const welcomeRequestId = (subscriberId: string) => `welcome-${subscriberId}`;

/** Maps a token check failure to the 400 a person sees; `expired` says how to get a new link. */
export function tokenError(reason: "malformed" | "bad_signature" | "wrong_type" | "expired", expired = "This link has expired. Please sign up again to get a new one."): AppError {
  return reason === "expired"
    ? new AppError(400, "token_expired", expired)
    : new AppError(400, "invalid_token", "This link is not valid. Check that you copied the whole link from the email.");
}

/**
 * Confirms a double opt-in: activates the pending subscriber, clears its expiry and records the
 * confirmation in the ledger, then queues the welcome. Confirming an already active subscription is
 * harmless, queues nothing and says so (`alreadyConfirmed`), so a page can tell the person rather than
 * thank them twice. The welcome is a courtesy: if it cannot be queued the confirmation still stands,
 * and no welcome is sent.
 */
export async function confirm(
  deps: ConfirmDeps,
  token: unknown,
): Promise<{ status: "active"; subscriberId: string; language: "sv" | "en"; alreadyConfirmed: boolean; welcome?: "queued" | "not_queued" }> {
  const now = deps.clock.now();
  const check = verifyToken(deps.tokenKeys, "confirm", typeof token === "string" ? token : undefined, now);
  if (!check.ok) throw tokenError(check.reason);
  const subscriber = await deps.store.getSubscriber(check.claims.sub, now);
  if (!subscriber || subscriber.status === "unsubscribed") {
    throw new AppError(400, "token_expired", "This sign-up is no longer pending. Please sign up again.");
  }
  if (subscriber.status === "active") return { status: "active", subscriberId: subscriber.id, language: subscriber.language, alreadyConfirmed: true };

  // A mission retired since the sign-up is not joined: its followers have already been told and let go.
  const active = new Set((await deps.store.listMissions()).filter((m) => m.status === "active").map((m) => m.id));
  const confirmed = subscriber.missions.every((m) => active.has(m)) ? subscriber : { ...subscriber, missions: subscriber.missions.filter((m) => active.has(m)) };
  const iso = new Date(now).toISOString();
  const record = recordFor(confirmed, "confirmed", iso, deps.ids.next(), "email");
  // Not pending any more by the time of the write: a concurrent confirmation (the page's script and its button) won.
  if ((await deps.store.activate(confirmed, iso, record)) === "activated") {
    await countMembership(deps.stats, [], confirmed.missions, now);
    // Only the request that activated queues the welcome, so a retried or concurrent confirmation
    // sends none; the sender claims its request id, so a redelivered job sends none either.
    // Someone whose every mission retired before they confirmed follows nothing yet: nothing to welcome them to.
    if (deps.queue && confirmed.missions.length) {
      const welcome = await deps.queue.enqueue({ kind: "welcome", subscriberId: subscriber.id, requestId: welcomeRequestId(subscriber.id) }).then(
        () => "queued" as const,
        () => "not_queued" as const,
      );
      return { status: "active", subscriberId: subscriber.id, language: subscriber.language, alreadyConfirmed: false, welcome };
    }
    return { status: "active", subscriberId: subscriber.id, language: subscriber.language, alreadyConfirmed: false };
  }
  return { status: "active", subscriberId: subscriber.id, language: subscriber.language, alreadyConfirmed: true };
}
