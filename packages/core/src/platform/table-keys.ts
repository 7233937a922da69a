/**
 * Key builders for the single table. Every query the product makes goes through one of these; the
 * README's "Access patterns" table lists them with the key or index that serves each.
 *
 * Table: PK (hash), SK (range); GSI1: GSI1PK (hash), GSI1SK (range); TTL attribute `expiresAt`.
 */

/** Subscriber profile: preferences, status, address. */
export const subscriberKey = (subscriberId: string) => ({ PK: `SUB#${subscriberId}`, SK: "PROFILE" });

/** Sign-up and lookup by address. The address appears only as a peppered HMAC. */
export const addressKey = (addressHmac: string) => ({ PK: `ADDR#${addressHmac}`, SK: "ADDR" });

/** The consent ledger of one subscriber, in time order (Query PK, SK begins_with CONSENT#). */
export const consentKey = (subscriberId: string, isoTime: string, recordId: string) => ({
  PK: `SUB#${subscriberId}`,
  SK: `CONSENT#${isoTime}#${recordId}`,
});
export const CONSENT_PREFIX = "CONSENT#";

/**
 * Membership of an active subscriber in one mission and topic. Lives in the subscriber's partition
 * (so erasure and preference changes touch one partition) and projects into GSI1 for fan-out.
 */
export const membershipKey = (subscriberId: string, missionId: string, topic: string) => ({
  PK: `SUB#${subscriberId}`,
  SK: `MEMBER#${missionId}#${topic}`,
});
export const MEMBER_PREFIX = "MEMBER#";

/** Fan-out by mission, topic and cadence: Query GSI1 on this partition, never Scan. */
export const fanoutIndexKey = (missionId: string, topic: string, cadence: string, subscriberId: string) => ({
  GSI1PK: `FANOUT#${missionId}#${topic}#${cadence}`,
  GSI1SK: `SUB#${subscriberId}`,
});

/** Suppression lookup by address HMAC; survives erasure. */
export const suppressionKey = (addressHmac: string) => ({ PK: `SUPP#${addressHmac}`, SK: "SUPP" });

/** Delivery history by recipient (Query PK, SK begins_with DELIVERY#): one item per campaign received. */
export const deliveryKey = (subscriberId: string, campaignKey: string) => ({
  PK: `SUB#${subscriberId}`,
  SK: `DELIVERY#${campaignKey}`,
});
export const DELIVERY_PREFIX = "DELIVERY#";

/** Soft bounces of an address within the last 30 days, keyed by its HMAC like the suppression list. */
export const softBounceKey = (addressHmac: string) => ({ PK: `SOFTBOUNCE#${addressHmac}`, SK: "SOFTBOUNCE" });

/** One SES feedback event, remembered for a while so a redelivered event is counted once. */
export const feedbackEventKey = (eventId: string) => ({ PK: `FEEDBACK#${eventId}`, SK: "FEEDBACK" });

/** Campaign header and counters. */
export const campaignKey = (key: string) => ({ PK: `CAMPAIGN#${key}`, SK: "META" });

/**
 * The per-recipient feedback counters of a campaign (SES Delivery, Open, Click and DeliveryDelay
 * events), in COUNTER_SHARDS items under partition keys of their own, summed on read. One event per
 * recipient at the SES rate would otherwise all write the campaign header, one partition key. Rare
 * counters (bounces, complaints, rejects) stay on the header, where pausing compares them.
 */
export const COUNTER_SHARDS = 10;
export const SHARDED_COUNTERS = ["delivered", "opened", "clicked", "delayed"] as const;
export const campaignCounterKey = (key: string, shard: number) => ({ PK: `CAMPAIGN#${key}#COUNTERS#${shard}`, SK: "COUNTERS" });
/** The shard an event counts in: a hash of its id, so a redelivered event goes to the same item. */
export function counterShardOf(eventId: string): number {
  let h = 2166136261;
  for (let i = 0; i < eventId.length; i++) h = Math.imul(h ^ eventId.charCodeAt(i), 16777619);
  return (h >>> 0) % COUNTER_SHARDS;
}

/**
 * One frozen batch of at most 50 recipients of a campaign, under a partition key of its own: a
 * million-recipient plan freezes 20,000 batches in a minute or two, and each is then leased and
 * completed, so in the campaign's partition they would exceed one partition's write limit; apart,
 * each partition takes a batch's few writes. Batches are numbered 1…n and the campaign header's
 * `lastBatch` (written before the batches) says how far, so a campaign's batches are read by number
 * (BatchGetItem), never by a Query on one partition.
 *
 * Campaigns opened before this layout have no `batchLayout` on their header and keep their batches in
 * the campaign's partition (`legacyCampaignBatchKey`, listed by Query): the outbox still reads and
 * sends them, and re-plans them in that layout.
 */
export const campaignBatchKey = (key: string, batch: number) => ({ PK: `CAMPAIGN#${key}#BATCH#${String(batch).padStart(6, "0")}`, SK: "BATCH" });
export const legacyCampaignBatchKey = (key: string, batch: number) => ({
  PK: `CAMPAIGN#${key}`,
  SK: `BATCH#${String(batch).padStart(6, "0")}`,
});
/** The header attribute `batchLayout` of a campaign whose batches have partition keys of their own. */
export const OWN_BATCH_PARTITIONS = 2;

/** The missions catalogue: one partition, Query to list. */
export const MISSIONS_PK = "MISSIONS";
export const missionKey = (missionId: string) => ({ PK: MISSIONS_PK, SK: `MISSION#${missionId}` });

/** Fixed-window rate-limit counters; they expire through TTL. */
export const rateLimitKey = (scope: "address" | "ip" | "data-rights", subjectHash: string, windowStart: number) => ({
  PK: `RATE#${scope}#${subjectHash}`,
  SK: `W#${windowStart}`,
});

/** How often an emailed data-rights link has been used; keyed by the link's id and expiring with it. */
export const linkUseKey = (linkId: string) => ({ PK: `LINK#${linkId}`, SK: "USES" });

/** A sign-up request for an address already active: nothing personal, expiring after a day. */
export const signUpRequestKey = (requestId: string) => ({ PK: `REQUEST#${requestId}`, SK: "SIGNUP" });

/** Sortable UTC form of an ISO time: offsets are normalised so sort keys compare as times. */
export const sortableTime = (iso: string) => new Date(iso).toISOString();

/** The current version of a content item, with its publishing state and alert history. */
export const contentKey = (itemId: string) => ({ PK: `CONTENT#${itemId}`, SK: "ITEM" });

/**
 * Content by mission and date: seminars sorted by start (upcoming = range from now), publications and
 * news by publication time (new since = range from the last digest). One copy per mission of the item.
 */
export const missionContentKey = (missionId: string, section: "SEMINAR" | "ARTICLE", at: string, itemId: string) => ({
  PK: `MCONTENT#${missionId}`,
  SK: `${section}#${sortableTime(at)}#${itemId}`,
});
export const missionContentPK = (missionId: string) => `MCONTENT#${missionId}`;

/** One content-email variant of a campaign (compiled HTML, text and subject), shared by its batches. */
export const campaignVariantKey = (key: string, variantId: string) => ({ PK: `CAMPAIGN#${key}`, SK: `VARIANT#${variantId}` });

/** Prefix of a campaign's parts chunks: the skeletons and item blocks its recipe variants are assembled from. */
export const PARTS_PREFIX = "PARTS#";
/** One chunk of a campaign's parts, named by a hash of its content (so writing it again changes nothing). */
export const campaignPartsKey = (key: string, chunk: string) => ({ PK: `CAMPAIGN#${key}`, SK: `${PARTS_PREFIX}${chunk}` });

/** Someone who got an item inside a coalesced alert email, so a later "changed" notice reaches them. */
export const bundledRecipientKey = (key: string, subscriberId: string) => ({ PK: `CAMPAIGN#${key}`, SK: `BUNDLED#${subscriberId}` });
/** The sort-key prefix of batches in the old layout (`legacyCampaignBatchKey`). */
export const BATCH_PREFIX = "BATCH#";
export const BUNDLED_PREFIX = "BUNDLED#";

/**
 * The outbox index: unfinished batches, in GSI1 sorted by when they are due for a re-enqueue, spread
 * over OUTBOX_SHARDS partitions by batch number (a million-recipient plan writes 20,000 entries in a
 * minute or two, more than one index partition takes). Finished batches drop out (the attributes are
 * removed), so the sweeper reads only work. Batches frozen before the shards kept `OUTBOX_PK` alone.
 */
export const OUTBOX_PK = "OUTBOX";
export const OUTBOX_SHARDS = 8;
export const outboxShardPk = (shard: number) => `${OUTBOX_PK}#${shard}`;
/** Every partition of the outbox index, the unsharded one first. */
export const OUTBOX_PARTITIONS = [OUTBOX_PK, ...Array.from({ length: OUTBOX_SHARDS }, (_, i) => outboxShardPk(i))];
export const outboxIndexKey = (dueAtMs: number, key: string, batch: number) => ({
  GSI1PK: outboxShardPk(batch % OUTBOX_SHARDS),
  GSI1SK: `${String(dueAtMs).padStart(15, "0")}#${key}#${batch}`,
});

/** A subscriber's open alert window: further alerts inside it are collected and sent together. */
export const alertWindowKey = (subscriberId: string) => ({ PK: `SUB#${subscriberId}`, SK: "ALERTWINDOW" });
/** The items collected for one alert window. */
export const alertQueueKey = (subscriberId: string, windowEndsAt: number) => ({ PK: `SUB#${subscriberId}`, SK: `ALERTQ#${windowEndsAt}` });
export const ALERTQ_PREFIX = "ALERTQ#";

/** A digest run started on demand or by the schedule, for status polling. */
export const runKey = (runId: string) => ({ PK: `RUN#${runId}`, SK: "RUN" });
/** Digest runs listed newest first for the staff console: GSI1 on one partition, by start time. */
export const runListIndexKey = (createdAt: string, runId: string) => ({ GSI1PK: "RUNS", GSI1SK: `${createdAt}#${runId}` });

/** A mission's statistics for one Stockholm day (counters added with ADD), and its running subscriber total. */
export const missionStatsDayKey = (missionId: string, day: string) => ({ PK: `STATS#${missionId}`, SK: `DAY#${day}` });
export const missionStatsTotalKey = (missionId: string) => ({ PK: `STATS#${missionId}`, SK: "TOTAL" });

/**
 * The service-wide totals of one Stockholm day (emails sent, bounces, complaints, suppressions), in
 * SERVICE_STATS_SHARDS items under partition keys of their own, summed on read: every batch the
 * senders finish adds to its day, and a hash of the batch or event spreads them.
 */
export const SERVICE_STATS_SHARDS = 4;
export const serviceStatsPK = (shard: number) => `SVCSTATS#${shard}`;
export const serviceStatsDayKey = (day: string, shard: number) => ({ PK: serviceStatsPK(shard), SK: `DAY#${day}` });
/** The shard a write goes to: a hash of its key (a batch or an event id), so a retry lands on the same item. */
export function serviceStatsShardOf(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % SERVICE_STATS_SHARDS;
}

/** The account-wide send-rate bucket shared by every sender. */
export const sendPacingKey = () => ({ PK: "PACING", SK: "SES" });

/** The partition holding one month's audit entries (`yyyy-mm`, UTC). */
export const auditPartition = (month: string) => `AUDIT#${month}`;
/**
 * One audit-log entry: a partition per month (UTC), entries in time order within it. Written once
 * with a conditional Put and never updated.
 */
export const auditEntryKey = (isoTime: string, entryId: string) => ({ PK: auditPartition(isoTime.slice(0, 7)), SK: `${isoTime}#${entryId}` });
/** The months that have audit entries, so a listing walks back exactly through them (Query, newest first). */
export const AUDIT_MONTHS_PK = "AUDIT";
export const auditMonthKey = (month: string) => ({ PK: AUDIT_MONTHS_PK, SK: `MONTH#${month}` });
export const AUDIT_MONTH_PREFIX = "MONTH#";

/** A staff announcement: its content, lifecycle state and version (GetItem, conditional Put on the version). */
export const announcementKey = (announcementId: string) => ({ PK: `ANNOUNCEMENT#${announcementId}`, SK: "ANNOUNCEMENT" });
/** Announcements listed newest first for the console: GSI1 on one partition, by creation time. */
export const ANNOUNCEMENTS_PK = "ANNOUNCEMENTS";
export const announcementListIndexKey = (createdAt: string, announcementId: string) => ({ GSI1PK: ANNOUNCEMENTS_PK, GSI1SK: `${createdAt}#${announcementId}` });

/**
 * Active subscribers, for the staff export: a sparse GSI1 partition on profile items. The attributes
 * are set when a subscriber becomes active and removed when they unsubscribe; erasure deletes the
 * profile and with it the entry. Sorted by subscriber id (a ULID, so by sign-up time).
 */
export const SUBSCRIBERS_PK = "SUBSCRIBERS";
export const subscriberListIndexKey = (subscriberId: string) => ({ GSI1PK: SUBSCRIBERS_PK, GSI1SK: `SUB#${subscriberId}` });

/** Why people left, one partition per month of answers (Query PK, SK between two times): no address, no subscriber id. */
export const departurePartition = (month: string) => `DEPARTURES#${month}`;
export const departureKey = (isoTime: string, answerId: string) => ({ PK: departurePartition(isoTime.slice(0, 7)), SK: `${isoTime}#${answerId}` });
/** The one-answer-per-unsubscribe claim: keyed by a keyed hash that cannot be traced back without the key and the subscriber. */
export const departureClaimKey = (answerId: string) => ({ PK: `DEPARTURE#${answerId}`, SK: "CLAIM" });

/**
 * Retention: what the daily sweep looks for, written when the event happens so the sweep finds it by
 * Query (never Scan), oldest first, and each entry goes once its work is done.
 *
 * - Pending sign-ups: one small item per sign-up (or renewed sign-up) under RETAIN#PENDING#<shard>,
 *   sorted by when the sign-up expires; it holds only the subscriber id.
 * - Unsubscribed people: a sparse GSI1 partition on the profile (`UNSUBSCRIBED`, sorted by the time of
 *   the last unsubscribe), set by the unsubscribe and gone when they sign up again or are erased.
 * - Delivery history: one item per sent batch under RETAIN#DELIVERIES#<shard>, sorted by the day it
 *   was sent, listing the batch's recipients (ids only) whose history entries to delete.
 * - Campaign batches: a sparse GSI1 partition on the campaign header (`RETAIN#CAMPAIGNS`, sorted by
 *   creation), removed once its batches are compacted to counters.
 * - Audit entries: the month index items (`auditMonthKey`) carry how far the month is pseudonymised.
 */
export const RETENTION_SHARDS = 8;
export const retentionShardOf = (id: string) => counterShardOf(id) % RETENTION_SHARDS;
export const pendingSweepPk = (shard: number) => `RETAIN#PENDING#${shard}`;
export const pendingSweepKey = (expiresAtSeconds: number, subscriberId: string) => ({
  PK: pendingSweepPk(retentionShardOf(subscriberId)),
  SK: `${new Date(expiresAtSeconds * 1000).toISOString()}#${subscriberId}`,
});
export const UNSUBSCRIBED_PK = "UNSUBSCRIBED";
export const unsubscribedIndexKey = (unsubscribedAt: string, subscriberId: string) => ({ GSI1PK: UNSUBSCRIBED_PK, GSI1SK: `${sortableTime(unsubscribedAt)}#${subscriberId}` });
export const deliverySweepPk = (shard: number) => `RETAIN#DELIVERIES#${shard}`;
export const deliverySweepKey = (day: string, campaign: string, batch: number) => ({
  PK: deliverySweepPk(batch % RETENTION_SHARDS),
  SK: `${day}#${campaign}#${String(batch).padStart(6, "0")}`,
});
export const RETAIN_CAMPAIGNS_PK = "RETAIN#CAMPAIGNS";
export const campaignRetentionIndexKey = (createdAt: string, campaign: string) => ({ GSI1PK: RETAIN_CAMPAIGNS_PK, GSI1SK: `${sortableTime(createdAt)}#${campaign}` });
/** The last retention sweep's counts, for the staff statistics. */
export const retentionReportKey = () => ({ PK: "RETENTION", SK: "LAST_SWEEP" });
