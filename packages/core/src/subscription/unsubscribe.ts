import { recordFor } from "../consent";
import type { Clock, Ids } from "../platform/ports";
import { countMembership, type MissionStats } from "../stats";
import type { CampaignUnsubscribes, Subscriber, SubscriberProfiles } from "./ports";
import { campaignFromTag } from "../shared/campaign-tags";
import { verifyToken } from "../shared/tokens";
import { tokenError } from "./confirm";

export interface UnsubscribeDeps {
  store: SubscriberProfiles;
  clock: Clock;
  ids: Ids;
  tokenKeys: string[];
  stats?: MissionStats;
  /** Counts an unsubscribe on the campaign whose email it came from. */
  feedback?: CampaignUnsubscribes;
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
 * `campaignTag` (the `c` of a campaign email's link) names the campaign the email belonged to: it
 * counts one `unsubscribed` there, once per subscriber, only when this request did the unsubscribing.
 */
export async function unsubscribe(deps: UnsubscribeDeps, token: unknown, campaignTag?: string): Promise<{ status: "unsubscribed"; language: "sv" | "en" } | { status: "gone" }> {
  const subscriber = await subscriberForManageToken(deps, token);
  if (!subscriber) return { status: "gone" };
  if (subscriber.status === "unsubscribed") return { status: "unsubscribed", language: subscriber.language };
  const at = new Date(deps.clock.now()).toISOString();
  const record = recordFor(subscriber, "withdrawn", at, deps.ids.next(), "email");
  if (await deps.store.unsubscribe(subscriber, at, record)) {
    await countMembership(deps.stats, subscriber.missions, [], deps.clock.now(), true);
    await countCampaignUnsubscribe(deps, subscriber.id, campaignTag);
  }
  return { status: "unsubscribed", language: subscriber.language };
}

/** Counts an unsubscribe on its campaign, once per subscriber and campaign; a count that fails never fails the unsubscribe. */
async function countCampaignUnsubscribe(deps: UnsubscribeDeps, subscriberId: string, campaignTag: string | undefined): Promise<void> {
  const campaign = campaignFromTag(campaignTag);
  if (!campaign || !deps.feedback) return;
  await deps.feedback.countOnce(`unsubscribe-${subscriberId}-${campaignTag}`, campaign, "unsubscribed", deps.clock.now()).catch(() => undefined);
}
