import { recordFor } from "../consent/ledger";
import type { Clock, Ids, Subscriber, SubscriberStore } from "../ports";
import { verifyToken } from "../tokens";
import { tokenError } from "./confirm";

export interface UnsubscribeDeps {
  store: SubscriberStore;
  clock: Clock;
  ids: Ids;
  tokenKeys: string[];
}

/** The subscriber a manage token (the one in every email's links) stands for; refuses bad tokens. */
export async function subscriberForManageToken(deps: UnsubscribeDeps, token: unknown): Promise<Subscriber | undefined> {
  const now = deps.clock.now();
  const check = verifyToken(deps.tokenKeys, "manage", typeof token === "string" ? token : undefined, now);
  if (!check.ok) throw tokenError(check.reason);
  return deps.store.getSubscriber(check.claims.sub, now);
}

/**
 * Unsubscribes from everything at once (RFC 8058 one-click, or the page's button): the subscriber
 * leaves every fan-out partition and a withdrawal goes into the ledger, in one transaction, so the
 * very next send skips them (the sender re-reads each recipient's state). Doing it again is harmless.
 */
export async function unsubscribe(deps: UnsubscribeDeps, token: unknown): Promise<{ status: "unsubscribed"; language: "sv" | "en" } | { status: "gone" }> {
  const subscriber = await subscriberForManageToken(deps, token);
  if (!subscriber) return { status: "gone" };
  if (subscriber.status === "unsubscribed") return { status: "unsubscribed", language: subscriber.language };
  const at = new Date(deps.clock.now()).toISOString();
  const record = recordFor(subscriber, "withdrawn", at, deps.ids.next(), "email");
  await deps.store.unsubscribe(subscriber, at, record);
  return { status: "unsubscribed", language: subscriber.language };
}
