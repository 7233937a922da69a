/** One page of what a sweep index holds, and where the next page starts (absent: no more). */
export interface SweepPage<T> {
  items: T[];
  next?: string;
}

/** A sign-up's entry in the pending sweep index: written with the sign-up, keyed by when it expires. */
export interface PendingEntry {
  ref: string;
  subscriberId: string;
  /** The sign-up's address HMAC, so an address lookup outliving its profile can be found. */
  addressHmac?: string;
}

/** Sign-ups never confirmed: DynamoDB's TTL deletes the profile lazily, and the sweep finishes the job. */
export interface PendingSweep {
  /** Sign-up entries whose confirmation period ended before `nowMs`, oldest first. */
  expiredSignUps(nowMs: number, limit: number, after?: string): Promise<SweepPage<PendingEntry>>;
  /**
   * Removes what is left of an expired sign-up (its profile and address lookup if still there and
   * still expired, and its consent records once no profile is left), then its index entry. A
   * sign-up confirmed or renewed since is left alone. True if anything about the person went.
   */
  dropExpiredSignUp(entry: PendingEntry, nowMs: number): Promise<boolean>;
}

/** People who unsubscribed, by the time of their last unsubscribe (a sparse index on the profile). */
export interface UnsubscribedSweep {
  /** Ids of people whose last unsubscribe was before `beforeIso`, oldest first. */
  unsubscribedBefore(beforeIso: string, limit: number, after?: string): Promise<SweepPage<string>>;
}

/** A sent batch's entry in the delivery sweep index: whose history entries it wrote, and the day. */
export interface DeliveryEntry {
  ref: string;
  campaign: string;
  batch: number;
  day: string;
  subscriberIds: string[];
}

/** Delivery history, found by the day each batch was sent. */
export interface DeliverySweep {
  /** Batch entries sent on days before `beforeDay` (yyyy-mm-dd), oldest first. */
  deliveryBatchesBefore(beforeDay: string, limit: number, after?: string): Promise<SweepPage<DeliveryEntry>>;
  /** Deletes the entry's history items, then the entry; answers how many history items there were. */
  dropDeliveries(entry: DeliveryEntry): Promise<number>;
}

/** A campaign not yet compacted, as the campaign sweep index lists it. */
export interface CampaignEntry {
  key: string;
  state: string;
  createdAt: string;
}

/** Campaign batches, found by when their campaign was created. */
export interface BatchSweep {
  /** Campaigns created before `beforeIso` whose batches are not compacted yet, oldest first. */
  campaignsBefore(beforeIso: string, limit: number, after?: string): Promise<SweepPage<CampaignEntry>>;
  /**
   * Compacts up to `limit` of a finished campaign's sent batches to their counts (the recipients and
   * per-recipient results go; the campaign's counters stay) and drops its bundled-recipient items.
   * `finished` once none is left; the campaign then leaves the index. `waiting` when a batch not
   * sent yet stops the walk (the campaign stays in the index for a later run).
   */
  compactBatches(key: string, limit: number, nowIso: string): Promise<BatchCompaction>;
}

export interface BatchCompaction {
  compacted: number;
  finished: boolean;
  waiting?: boolean;
}

/** Audit entries, walked month by month from the oldest. */
export interface AuditSweep {
  /**
   * Replaces the staff addresses of up to `limit` audit entries older than `beforeIso` with
   * `pseudonym(address)`, resuming where the last call stopped. `more` while some are left.
   */
  pseudonymiseAudit(beforeIso: string, limit: number, pseudonym: (address: string) => string): Promise<{ pseudonymised: number; more: boolean }>;
}

/** What a retention sweep did, per category. */
export const RETENTION_CATEGORIES = ["pendingSignUps", "unsubscribedErased", "deliveriesDeleted", "batchesCompacted", "auditPseudonymised"] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

/** One sweep's report: when, the counts per category, and the categories with work left for the next run. */
export interface RetentionReport {
  at: string;
  counts: Record<RetentionCategory, number>;
  more: RetentionCategory[];
}

/** The last sweep's report, for the staff statistics. */
export interface SweepReports {
  saveReport(report: RetentionReport): Promise<void>;
  lastReport(): Promise<RetentionReport | undefined>;
}

/** Everything the retention sweep reads and writes through its own indexes (the DynamoDB adapter implements all). */
export type RetentionStore = PendingSweep & UnsubscribedSweep & DeliverySweep & BatchSweep & AuditSweep & SweepReports;
