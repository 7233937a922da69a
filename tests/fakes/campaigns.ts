import type {
  BatchCounts,
  BatchOutbox,
  BulkEmail,
  BulkEntryResult,
  Campaign,
  CampaignBatch,
  CampaignOutbox,
  CampaignReach,
  CampaignRecipient,
  Mailer,
  OutgoingEmail,
  SendPacer,
  PlannedVariant,
  VariantPartsStore,
  BatchResults,
} from "../../packages/core/src/campaigns";
import type { VariantParts } from "../../packages/core/src/emails";
import type { CampaignControl, CampaignStatus, PausedReason } from "../../packages/core/src/announcements";
import type { CampaignKind, Language } from "../../packages/core/src/shared/vocabulary";
import type { DeliveryRecord } from "../../packages/core/src/subscription";

type StoredCampaign = CampaignStatus & { planLease?: number; planOwner?: string; planSteps: Set<string>; cancelledAt?: string };
type StoredBatch = CampaignBatch & { leaseOwner?: string; leaseUntil?: number; dueAt?: number };

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The campaign outbox in memory, with the adapter's rules: a campaign is opened once; one planning
 * lease at a time; a batch number is frozen once; a planning step is counted once; a batch is leased
 * only while planned and unleased (or its lease expired), so a redelivered pointer finds it "sent" or
 * "leased"; completion needs the lease and moves the counters once; the campaign is done when every
 * batch is and no planner holds the lease. It also implements the staff's campaign control (pause,
 * resume, cancel), which in DynamoDB updates the same campaign header.
 */
export class MemoryOutbox implements CampaignOutbox, BatchOutbox, CampaignReach, CampaignControl, VariantPartsStore {
  readonly campaigns = new Map<string, StoredCampaign>();
  readonly batches = new Map<string, Map<number, StoredBatch>>();
  readonly variants = new Map<string, PlannedVariant>();
  readonly parts = new Map<string, VariantParts>();
  readonly bundled = new Map<string, Map<string, Language>>();

  /** `history` receives delivery records, as the adapter writes them into each subscriber's partition. */
  constructor(private readonly history?: { recordDelivery(subscriberId: string, record: DeliveryRecord): void }) {}

  async openCampaign(key: string, kind: CampaignKind, nowMs: number): Promise<Campaign> {
    if (!this.campaigns.has(key)) {
      this.campaigns.set(key, { key, kind, state: "planning", planned: 0, sent: 0, skipped: 0, failed: 0, batches: 0, batchesDone: 0, createdAt: new Date(nowMs).toISOString(), planSteps: new Set() });
    }
    return (await this.getCampaign(key))!;
  }

  async getCampaign(key: string): Promise<Campaign | undefined> {
    return this.campaignStatus(key);
  }

  async campaignStatus(key: string): Promise<CampaignStatus | undefined> {
    const c = this.campaigns.get(key);
    if (!c) return undefined;
    const { planLease: _l, planOwner: _o, planSteps: _s, cancelledAt: _c, ...rest } = c;
    return copy(rest);
  }

  async takePlanLease(key: string, owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    const c = this.campaigns.get(key);
    if (!c || (c.planLease !== undefined && c.planLease >= nowMs && c.planOwner !== owner)) return false;
    Object.assign(c, { planLease: untilMs, planOwner: owner });
    return true;
  }

  async releasePlanLease(key: string, owner: string): Promise<void> {
    const c = this.campaigns.get(key);
    if (c?.planOwner === owner) {
      delete c.planLease;
      delete c.planOwner;
    }
    await this.finishIfDone(key);
  }

  async plannedRecipients(key: string): Promise<{ recipients: Set<string>; lastBatch: number }> {
    const recipients = new Set<string>();
    let lastBatch = 0;
    for (const b of this.batches.get(key)?.values() ?? []) {
      lastBatch = Math.max(lastBatch, b.batch);
      for (const r of b.recipients) recipients.add(r);
    }
    return { recipients, lastBatch };
  }

  async putVariant(key: string, variantId: string, variant: PlannedVariant): Promise<void> {
    this.variants.set(`${key}|${variantId}`, copy(variant));
  }

  async putVariants(key: string, variants: [variantId: string, variant: PlannedVariant][]): Promise<void> {
    for (const [id, variant] of variants) this.variants.set(`${key}|${id}`, copy(variant));
  }

  /** How many times each variant was read (`<campaign>|<variant>`; the sender caches them per process). */
  readonly variantReads = new Map<string, number>();

  async getVariant(key: string, variantId: string): Promise<PlannedVariant | undefined> {
    this.variantReads.set(`${key}|${variantId}`, (this.variantReads.get(`${key}|${variantId}`) ?? 0) + 1);
    const v = this.variants.get(`${key}|${variantId}`);
    return v && copy(v);
  }

  /** How many times each campaign's parts were read (the sender caches them per campaign). */
  readonly partsReads = new Map<string, number>();

  async putParts(key: string, parts: VariantParts): Promise<void> {
    const stored = this.parts.get(key) ?? { skeletons: {}, blocks: {} };
    Object.assign(stored.skeletons, copy(parts.skeletons));
    Object.assign(stored.blocks, copy(parts.blocks));
    this.parts.set(key, stored);
  }

  async getParts(key: string): Promise<VariantParts> {
    this.partsReads.set(key, (this.partsReads.get(key) ?? 0) + 1);
    return copy(this.parts.get(key) ?? { skeletons: {}, blocks: {} });
  }

  /** How many freezeBatches calls were made, and with how many batches each. */
  readonly freezeCalls: number[] = [];

  async freezeBatches(batches: Omit<CampaignBatch, "status" | "results" | "attempts">[], dueAtMs: number): Promise<number[]> {
    this.freezeCalls.push(batches.length);
    const taken: number[] = [];
    for (const batch of batches) {
      const mine = this.batches.get(batch.campaign) ?? new Map<number, StoredBatch>();
      this.batches.set(batch.campaign, mine);
      const existing = mine.get(batch.batch);
      if (existing) {
        if (existing.variant !== batch.variant || JSON.stringify(existing.recipients) !== JSON.stringify(batch.recipients)) taken.push(batch.batch);
        continue;
      }
      mine.set(batch.batch, { ...copy(batch), status: "planned", results: {}, attempts: 0, dueAt: dueAtMs });
    }
    return taken.sort((a, b) => a - b);
  }

  async addPlanned(key: string, recipients: number, batches: number, skipped: number, step: string): Promise<void> {
    const c = this.campaigns.get(key);
    if (!c || c.planSteps.has(step)) return;
    c.planSteps.add(step);
    if (c.state === "planning" || c.state === "sending" || c.state === "done") c.state = "sending";
    c.planned += recipients;
    c.batches += batches;
    c.skipped += skipped;
    await this.finishIfDone(key);
  }

  async leaseBatch(key: string, batch: number, owner: string, nowMs: number, untilMs: number) {
    const b = this.batches.get(key)?.get(batch);
    if (!b) return { status: "missing" as const };
    if (b.status !== "planned" || (b.leaseUntil !== undefined && b.leaseUntil >= nowMs)) return { status: b.status === "sent" ? ("sent" as const) : ("leased" as const) };
    Object.assign(b, { leaseOwner: owner, leaseUntil: untilMs, dueAt: untilMs, attempts: b.attempts + 1 });
    const { leaseOwner: _o, leaseUntil: _u, dueAt: _d, ...leased } = copy(b);
    return { leased };
  }

  async saveProgress(key: string, batch: number, owner: string, results: BatchResults, dueAtMs: number): Promise<void> {
    const b = this.batches.get(key)?.get(batch);
    if (b?.leaseOwner !== owner) return;
    b.results = copy(results);
    b.dueAt = dueAtMs;
    delete b.leaseOwner;
    delete b.leaseUntil;
  }

  async completeBatch(key: string, batch: number, owner: string, results: BatchResults, counts: BatchCounts): Promise<boolean> {
    const b = this.batches.get(key)?.get(batch);
    const c = this.campaigns.get(key);
    if (!b || !c || b.leaseOwner !== owner || b.status !== "planned") {
      await this.finishIfDone(key);
      return false;
    }
    Object.assign(b, { status: "sent", results: copy(results) });
    delete b.leaseOwner;
    delete b.leaseUntil;
    delete b.dueAt;
    c.sent += counts.sent;
    c.skipped += counts.skipped;
    c.failed += counts.failed;
    if (counts.expired) c.expired = (c.expired ?? 0) + counts.expired;
    c.batchesDone += 1;
    await this.finishIfDone(key);
    return true;
  }

  async recordDeliveries(_key: string, _batch: number, deliveries: { subscriberId: string; record: DeliveryRecord }[]): Promise<void> {
    for (const { subscriberId, record } of deliveries) this.history?.recordDelivery(subscriberId, record);
  }

  async dueBatches(nowMs: number, limit: number): Promise<{ campaign: string; batch: number }[]> {
    const due: { campaign: string; batch: number; at: number }[] = [];
    for (const [campaign, mine] of this.batches) for (const b of mine.values()) if (b.status === "planned" && b.dueAt !== undefined && b.dueAt < nowMs) due.push({ campaign, batch: b.batch, at: b.dueAt });
    return due.sort((a, b) => a.at - b.at).slice(0, limit).map(({ campaign, batch }) => ({ campaign, batch }));
  }

  async postpone(key: string, batch: number, dueAtMs: number): Promise<void> {
    const b = this.batches.get(key)?.get(batch);
    if (b?.status === "planned") b.dueAt = dueAtMs;
  }

  async recordBundled(campaignKeys: string[], subscriberId: string, language: Language): Promise<void> {
    for (const k of campaignKeys) {
      const mine = this.bundled.get(k) ?? new Map<string, Language>();
      mine.set(subscriberId, language);
      this.bundled.set(k, mine);
    }
  }

  async recipientsOf(campaignKeys: string[]): Promise<CampaignRecipient[]> {
    const out: CampaignRecipient[] = [];
    for (const key of campaignKeys) {
      for (const b of this.batches.get(key)?.values() ?? []) for (const r of b.recipients) out.push({ via: "batch", subscriberId: r, language: b.language, outcome: b.results[r] });
      for (const [subscriberId, language] of this.bundled.get(key) ?? []) out.push({ via: "bundle", subscriberId, language });
    }
    return out;
  }

  async pauseCampaign(key: string, reason: PausedReason, expected?: { resumedAt: string | undefined }): Promise<boolean> {
    const c = this.campaigns.get(key);
    if (!c || (c.state !== "planning" && c.state !== "sending")) return false;
    if (expected && c.resumedAt !== expected.resumedAt) return false;
    Object.assign(c, { state: "paused", pausedReason: copy(reason) });
    return true;
  }

  async resumeCampaign(key: string, at: string): Promise<boolean> {
    const c = this.campaigns.get(key);
    if (c?.state !== "paused") return false;
    Object.assign(c, { state: "sending", resumedAt: at, baseSent: c.sent, baseBounced: c.bounced ?? 0, baseComplained: c.complained ?? 0 });
    delete c.pausedReason;
    return true;
  }

  async cancelCampaign(key: string, at: string): Promise<boolean> {
    const c = this.campaigns.get(key);
    if (!c || (c.state !== "planning" && c.state !== "sending" && c.state !== "paused")) return false;
    Object.assign(c, { state: "cancelled", cancelledAt: at });
    return true;
  }

  async unsentBatches(key: string): Promise<number[]> {
    return [...(this.batches.get(key)?.values() ?? [])].filter((b) => b.status !== "sent").map((b) => b.batch);
  }

  async finishIfDone(key: string): Promise<void> {
    const c = this.campaigns.get(key);
    if (c && c.state === "sending" && c.batchesDone === c.batches && c.planLease === undefined) c.state = "done";
  }

  /** Test helper: moves a feedback counter on a campaign, as SES feedback does. */
  count(key: string, counter: "delivered" | "bounced" | "complained" | "unsubscribed", by = 1): void {
    const c = this.campaigns.get(key);
    if (c) c[counter] = (c[counter] ?? 0) + by;
  }

  /** Test helper: one batch as stored. */
  batch(key: string, batch: number): StoredBatch | undefined {
    const b = this.batches.get(key)?.get(batch);
    return b && copy(b);
  }
}

/**
 * Records every email. By default each send succeeds with a sequential message id; a test scripts
 * failures with `bulkStatuses` (per call, per entry: "SUCCESS", "ACCOUNT_THROTTLED", …) or `failSend`.
 */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  readonly bulkCalls: BulkEmail[] = [];
  /** Statuses for the next bulk calls, one list per call (entries beyond a list succeed). */
  readonly bulkStatuses: string[][] = [];
  /** Errors to throw from the next single sends. */
  readonly sendErrors: Error[] = [];
  private n = 0;

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const error = this.sendErrors.shift();
    if (error) throw error;
    this.sent.push(structuredClone(email));
    return { messageId: `msg-${++this.n}` };
  }

  async sendBulk(email: BulkEmail): Promise<BulkEntryResult[]> {
    this.bulkCalls.push(structuredClone(email));
    const statuses = this.bulkStatuses.shift() ?? [];
    return email.entries.map((_, i) => {
      const status = statuses[i] ?? "SUCCESS";
      return status === "SUCCESS" ? { status, messageId: `msg-${++this.n}` } : { status, error: status };
    });
  }

  /** Every recipient address mailed so far, by either call. */
  get recipients(): string[] {
    return [...this.sent.map((e) => e.to), ...this.bulkCalls.flatMap((c) => c.entries.map((e) => e.to))];
  }
}

/** A pacer with room for everything at once, unless told to make the sender wait. */
export class FakePacer implements SendPacer {
  retryAfterMs: number | undefined;
  readonly reserved: number[] = [];
  async reserve(recipients: number, nowMs: number): Promise<{ startAt: number } | { retryAfterMs: number }> {
    if (this.retryAfterMs !== undefined) return { retryAfterMs: this.retryAfterMs };
    this.reserved.push(recipients);
    return { startAt: nowMs };
  }
}
