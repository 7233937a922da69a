import * as z from "zod";
import type { BatchJob } from "../shared/jobs";
import type { Clock } from "../platform/ports";
import { isRecipe, type BatchOutbox, type Campaign, type CampaignOutbox, type Mailer, type SendPacer, type StoredVariant, type VariantPartsStore } from "./ports";
import { countForRecipients, countService, type MissionStats, type ServiceTotals } from "../stats";
import type { Subscriber, SubscriberProfiles, SuppressionList } from "../subscription";
import { DEFAULT_BACKOFF, classifySendError, sleep, withBackoff, type BackoffOptions } from "./backoff";
import { bulkData, bulkTemplate, recipientLinks } from "./recipient-links";
import { assembleVariant, MissingPart, personalise, type VariantParts } from "../emails";
import { countOutcomes, deliveryRecords, type BatchResults } from "./recipient-outcome";
import { campaignTag, tagValue } from "../shared/campaign-tags";

/** The body of a batch pointer on the send queue. */
export const BatchJobSchema = z.object({
  kind: z.literal("batch"),
  campaign: z.string().min(1).max(300),
  batch: z.number().int().positive(),
});

export interface BatchSenderDeps {
  outbox: BatchOutbox & Pick<CampaignOutbox, "getCampaign" | "getVariant"> & Pick<VariantPartsStore, "getParts">;
  store: SubscriberProfiles & SuppressionList;
  mailer: Mailer;
  pacer: SendPacer;
  clock: Clock;
  tokenKeys: string[];
  publicUrl: string;
  unsubscribeMailto: string;
  /** The service's general reply address, for variants that name no team address (digests across missions). */
  replyTo: string;
  configurationSet?: string;
  /** The configuration set with open and click tracking, for subscribers who turned it on. */
  trackingConfigurationSet?: string;
  /** Immediate alerts' configuration sets (untracked, tracking): SES drops what it cannot deliver within their maximum delivery time. */
  alertConfigurationSet?: string;
  alertTrackingConfigurationSet?: string;
  /** Who holds the lease (the invocation). */
  owner: string;
  /** Lease length: longer than the sender can run, so a lease expires only when its holder is gone. */
  leaseMs: number;
  /** Longest the sender waits for the pacer before releasing the batch for later. */
  maxPacingWaitMs: number;
  /** "bulk": SendBulkEmail with SES's substitution; "single": our own substitution, one SendEmail each. */
  mode: "bulk" | "single";
  backoff?: BackoffOptions;
  /** Sends at once in "single" mode. */
  concurrency?: number;
  /** Recipients per paced call (at most 50); about a tenth of the rate keeps each second even. */
  chunkSize?: number;
  /** Per-mission charts: emails sent to each mission's followers. */
  stats?: MissionStats;
  /** Service-wide daily totals (the health view): emails sent. */
  totals?: ServiceTotals;
  /**
   * How long after its campaign was created an immediate alert may still be sent (ms). A batch of an
   * `alert` or `alert-bundle` campaign that reaches the sender later is dropped: its recipients are
   * skipped as `expired`, counted, and the batch is completed, so nothing sends it again. That holds
   * for a paused alert too: its held batches are dropped once the deadline passes, and a resume after
   * it sends nothing stale.
   */
  alertMaxDeliveryMs?: number;
}

export type BatchOutcome =
  | { outcome: "sent"; sent: number; skipped: number; failed: number }
  /** An alert batch past its delivery deadline: `expired` recipients were dropped unsent. */
  | { outcome: "expired"; expired: number }
  | { outcome: "duplicate" | "in-progress" | "missing" | "paused" }
  | { outcome: "retry"; delaySeconds: number; reason: string };

/** Bulk entry statuses worth retrying one by one; the rest are final for that recipient. */
const RETRYABLE_ENTRY = new Set(["TRANSIENT_FAILURE", "FAILED"]);
const PAUSED_DUE_MS = 24 * 3600_000;

/**
 * Variants, and campaigns' parts (skeletons and item blocks), read once per campaign and process, per
 * outbox. An entry is its read in flight or done, so batches of one variant (or campaign) that start
 * together share one read.
 */
const caches = new WeakMap<object, { variants: Map<string, Promise<StoredVariant>>; parts: Map<string, Promise<VariantParts>> }>();

class Release extends Error {
  constructor(
    readonly delayMs: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Sends one frozen batch of a campaign: the outbox's exactly-once step. The batch is leased with a
 * conditional update, so a redelivered or swept pointer cannot send it twice. Every recipient's state
 * is read again at send time (unsubscribed, erased, suppressed) and the campaign's (paused,
 * cancelled). Sends are paced by the shared bucket and retried with backoff; when throttling outlasts
 * the backoff, the results so far are kept and the batch is released to continue later, never
 * dropped. All results are written with one transaction that also moves the campaign's counters.
 *
 * The one window: a crash after SES accepted a call and before the results were written. The lease
 * then expires and the sweeper sends that batch again, so at most one batch (50 recipients) can get a
 * second copy, and only in that crash.
 */
export async function sendBatch(deps: BatchSenderDeps, job: BatchJob): Promise<BatchOutcome> {
  const now = deps.clock.now();
  const lease = await deps.outbox.leaseBatch(job.campaign, job.batch, deps.owner, now, now + deps.leaseMs);
  if (!("leased" in lease)) return { outcome: lease.status === "sent" ? "duplicate" : lease.status === "leased" ? "in-progress" : "missing" };
  const batch = lease.leased;
  const results: BatchResults = { ...batch.results };

  const campaign = await deps.outbox.getCampaign(job.campaign);
  if (!campaign) return { outcome: "missing" };
  const deadline = alertDeadline(deps, campaign);
  const late = deadline !== undefined && now > deadline;
  if (campaign.state === "paused" && !late) {
    // Held until staff resume or cancel; an alert's batch is looked at again just after its deadline, when it is dropped.
    const due = deadline === undefined ? now + PAUSED_DUE_MS : Math.min(now + PAUSED_DUE_MS, deadline + 60_000);
    await deps.outbox.saveProgress(job.campaign, job.batch, deps.owner, results, due);
    return { outcome: "paused" };
  }

  const pending = batch.recipients.filter((r) => results[r] === undefined);
  if (late) {
    // Late news is no news: an alert the queue held past its deadline is dropped, never sent or re-queued.
    for (const r of pending) results[r] = { kind: "skipped", reason: "expired" };
    await deps.outbox.completeBatch(job.campaign, job.batch, deps.owner, results, { ...countOutcomes(results), expired: pending.length });
    return { outcome: "expired", expired: pending.length };
  }
  const eligible: Subscriber[] = [];
  if (campaign.state === "cancelled") {
    for (const r of pending) results[r] = { kind: "skipped", reason: "cancelled" };
  } else {
    const subscribers = await deps.store.getSubscribers(pending, now);
    const suppressed = await deps.store.suppressedAmong([...subscribers.values()].map((s) => s.addressHmac));
    for (const id of pending) {
      const s = subscribers.get(id);
      if (!s) results[id] = { kind: "skipped", reason: "gone" };
      else if (s.status !== "active") results[id] = { kind: "skipped", reason: s.status };
      else if (suppressed.has(s.addressHmac)) results[id] = { kind: "skipped", reason: "suppressed" };
      else eligible.push(s);
    }
  }

  let subject: string | undefined;
  try {
    if (eligible.length) {
      const variant = await loadVariant(deps.outbox, job.campaign, batch.variant);
      subject = variant.subject;
      const tags = { campaign: campaignTag(job.campaign), batch: String(job.batch), kind: tagValue(campaign.kind) };
      // One call per configuration set: tracking is the subscriber's choice, read at send time.
      const groups = new Map<string | undefined, Subscriber[]>();
      const alert = campaign.kind === "alert" || campaign.kind === "alert-bundle";
      const plainSet = (alert && deps.alertConfigurationSet) || deps.configurationSet;
      const trackingSet = (alert && deps.alertTrackingConfigurationSet) || deps.trackingConfigurationSet;
      for (const s of eligible) {
        const set = s.tracking && trackingSet ? trackingSet : plainSet;
        groups.set(set, [...(groups.get(set) ?? []), s]);
      }
      // At low rates a batch goes out in smaller paced calls, so no one second gets a burst of 50.
      const chunk = Math.max(1, Math.min(50, deps.chunkSize ?? 50));
      for (const [configurationSet, group] of groups) {
        for (let i = 0; i < group.length; i += chunk) {
          const part = group.slice(i, i + chunk);
          await pace(deps, part.length);
          const send = deps.mode === "bulk" ? sendBulk : sendSingly;
          await send(deps, variant, part, results, { tags, replyTo: variant.replyTo ?? deps.replyTo, ...(configurationSet ? { configurationSet } : {}) });
        }
      }
    }
  } catch (err) {
    if (!(err instanceof Release)) {
      await deps.outbox.saveProgress(job.campaign, job.batch, deps.owner, results, deps.clock.now() + 60_000);
      throw err;
    }
    await deps.outbox.saveProgress(job.campaign, job.batch, deps.owner, results, deps.clock.now() + err.delayMs + 60_000);
    return { outcome: "retry", delaySeconds: Math.min(900, Math.max(1, Math.ceil(err.delayMs / 1000))), reason: err.reason };
  }

  const c = countOutcomes(results);
  if (subject !== undefined) {
    const at = new Date(deps.clock.now()).toISOString();
    await deps.outbox.recordDeliveries(job.campaign, job.batch, deliveryRecords({ key: job.campaign, kind: campaign.kind }, job.batch, subject, at, results));
  }
  if (await deps.outbox.completeBatch(job.campaign, job.batch, deps.owner, results, c)) {
    const sent = eligible.filter((s) => results[s.id]?.kind === "sent").map((s) => s.missions);
    await Promise.all([
      countForRecipients(deps.stats, sent, "sent", deps.clock.now()),
      countService(deps.totals, { sent: sent.length }, `${job.campaign}#${job.batch}`, deps.clock.now()),
    ]);
  }
  return { outcome: "sent", ...c };
}

/** When an immediate alert campaign's batches stop being worth sending (epoch ms); undefined for other kinds. */
export function alertDeadline(deps: Pick<BatchSenderDeps, "alertMaxDeliveryMs">, campaign: Pick<Campaign, "kind" | "createdAt">): number | undefined {
  if (deps.alertMaxDeliveryMs === undefined || (campaign.kind !== "alert" && campaign.kind !== "alert-bundle")) return undefined;
  const created = Date.parse(campaign.createdAt);
  return Number.isNaN(created) ? undefined : created + deps.alertMaxDeliveryMs;
}

/**
 * A batch's variant, cached per process: a compiled one as stored, a recipe assembled from its
 * campaign's parts (read once per campaign, and again if a re-plan has added parts since).
 */
async function loadVariant(outbox: BatchSenderDeps["outbox"], campaign: string, variantId: string): Promise<StoredVariant> {
  let cache = caches.get(outbox);
  if (!cache) caches.set(outbox, (cache = { variants: new Map(), parts: new Map() }));
  const parts = cache.parts;
  return cachedRead(cache.variants, `${campaign}|${variantId}`, 500, () => readVariant(outbox, parts, campaign, variantId));
}

/**
 * The read cached under `key`, in flight or done, so reads that start together share one; a map
 * past `max` entries starts again. A failed read is not kept: the next caller reads again.
 */
function cachedRead<T>(cache: Map<string, Promise<T>>, key: string, max: number, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = read();
    if (cache.size > max) cache.clear();
    cache.set(key, value);
    const reading = value;
    reading.catch(() => cache.get(key) === reading && cache.delete(key));
  }
  return value;
}

async function readVariant(outbox: BatchSenderDeps["outbox"], partsCache: Map<string, Promise<VariantParts>>, campaign: string, variantId: string): Promise<StoredVariant> {
  const stored = await outbox.getVariant(campaign, variantId);
  if (!stored) throw new Error(`Campaign ${campaign} has no variant ${variantId}`);
  if (!isRecipe(stored)) return stored;
  const { recipe, ...rest } = stored;
  const assemble = async (fresh: boolean) => {
    if (fresh) partsCache.delete(campaign);
    return assembleVariant(recipe, await cachedRead(partsCache, campaign, 20, () => outbox.getParts(campaign)));
  };
  try {
    return { ...rest, ...(await assemble(false)) };
  } catch (err) {
    if (!(err instanceof MissingPart)) throw err;
    return { ...rest, ...(await assemble(true)) };
  }
}

async function pace(deps: BatchSenderDeps, recipients: number): Promise<void> {
  const reservation = await deps.pacer.reserve(recipients, deps.clock.now(), deps.maxPacingWaitMs);
  if ("retryAfterMs" in reservation) throw new Release(reservation.retryAfterMs, "send rate reached");
  const waitMs = reservation.startAt - deps.clock.now();
  if (waitMs > 0) await (deps.backoff?.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(waitMs);
}

interface CallOptions {
  tags: Record<string, string>;
  replyTo: string;
  configurationSet?: string;
}

function values(deps: BatchSenderDeps, s: Subscriber, campaignTag: string | undefined) {
  return recipientLinks(deps.publicUrl.replace(/\/$/, ""), deps.tokenKeys, s.id, deps.clock.now(), deps.unsubscribeMailto, campaignTag);
}

/**
 * One SendBulkEmail for the group. Entries SES throttled (ACCOUNT_THROTTLED) are sent again, only
 * those, as a smaller bulk call after a jittered backoff, so a throttled second does not turn into a
 * burst of single sends; other failed entries are retried one by one with SendEmail.
 */
async function sendBulk(deps: BatchSenderDeps, variant: StoredVariant, group: Subscriber[], results: BatchResults, options: CallOptions) {
  const template = bulkTemplate(variant);
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const entryOf = (s: Subscriber) => {
    const { headers, siteUrl, preferencesUrl, unsubscribeUrl } = values(deps, s, options.tags.campaign);
    return { to: s.email, data: bulkData({ siteUrl, preferencesUrl, unsubscribeUrl }), headers, tags: { recipient: tagValue(s.id) } };
  };
  let pending = group;
  const singly: Subscriber[] = [];
  for (let round = 0; pending.length; round++) {
    if (round >= backoff.attempts) throw new Release(5_000, "SES kept throttling entries (ACCOUNT_THROTTLED)");
    if (round > 0) {
      // Throttled entries wait, then take new slots from the shared rate, so retries never add to the rate.
      await (backoff.sleep ?? sleep)((backoff.random ?? Math.random)() * Math.min(backoff.capMs, backoff.baseMs * 2 ** round));
      await pace(deps, pending.length);
    }
    let outcome;
    try {
      outcome = await withBackoff(() => deps.mailer.sendBulk({ template, entries: pending.map(entryOf), ...options }), backoff);
    } catch (err) {
      // The call as a whole was refused: find the recipient it was about by sending one by one.
      if (classifySendError(err) !== "rejected") throw err;
      return sendSingly(deps, variant, pending, results, options);
    }
    if ("gaveUp" in outcome) throw new Release(5_000, `SES kept throttling: ${(outcome.gaveUp as Error).name}`);
    const throttled: Subscriber[] = [];
    let overQuota = false;
    pending.forEach((s, i) => {
      const r = outcome.value[i];
      if (r?.status === "SUCCESS") results[s.id] = { kind: "sent", messageId: r.messageId ?? "" };
      else if (r?.status === "ACCOUNT_THROTTLED") throttled.push(s);
      else if (r?.status === "ACCOUNT_DAILY_QUOTA_EXCEEDED") overQuota = true;
      else if (!r || RETRYABLE_ENTRY.has(r.status)) singly.push(s);
      else results[s.id] = { kind: "failed", reason: r.status };
    });
    // The daily quota is spent: keep what was sent and try the rest much later, never drop it.
    if (overQuota) throw new Release(15 * 60_000, "SES daily sending quota exceeded");
    pending = throttled;
  }
  if (singly.length) await sendSingly(deps, variant, singly, results, options);
}

async function sendSingly(deps: BatchSenderDeps, variant: StoredVariant, group: Subscriber[], results: BatchResults, options: CallOptions) {
  let next = 0;
  let release: Release | undefined;
  const worker = async () => {
    while (next < group.length && !release) {
      const s = group[next++]!;
      const { headers, siteUrl, preferencesUrl, unsubscribeUrl } = values(deps, s, options.tags.campaign);
      const email = personalise(variant, { siteUrl, preferencesUrl, unsubscribeUrl });
      try {
        const outcome = await withBackoff(
          () =>
            deps.mailer.send({
              to: s.email,
              replyTo: options.replyTo,
              ...email,
              headers,
              tags: { ...options.tags, recipient: tagValue(s.id) },
              ...(options.configurationSet ? { configurationSet: options.configurationSet } : {}),
            }),
          deps.backoff ?? DEFAULT_BACKOFF,
        );
        if ("gaveUp" in outcome) release = new Release(5_000, `SES kept throttling: ${(outcome.gaveUp as Error).name}`);
        else results[s.id] = { kind: "sent", messageId: outcome.value.messageId };
      } catch (err) {
        if (classifySendError(err) !== "rejected") throw err;
        results[s.id] = { kind: "failed", reason: (err as Error).name };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 8, group.length) }, worker));
  if (release) throw release;
}
