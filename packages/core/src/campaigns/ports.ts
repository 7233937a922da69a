import type { CompiledVariant, VariantParts, VariantRecipe } from "../emails";
import type { DeliveryRecord } from "../subscription";
import type { CampaignKind, Language } from "../shared/vocabulary";
import type { BatchResults, CampaignRecipient } from "./recipient-outcome";

/** One email to one recipient, for SES's SendEmail. */
export interface OutgoingEmail {
  to: string;
  /** Where a reply goes: a mission team's address, or the service's general one. Every email has one. */
  replyTo: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  configurationSet?: string;
  tags?: Record<string, string>;
}

/**
 * One SendBulkEmail call: a template (subject, HTML, text with `{{placeholders}}`) and up to 50
 * entries with their replacement data and headers. SES substitutes without escaping, so the data
 * must already be escaped for HTML.
 */
export interface BulkEmail {
  template: CompiledVariant;
  /** Where replies go, for every entry (see OutgoingEmail). */
  replyTo: string;
  entries: { to: string; data: Record<string, string>; headers: Record<string, string>; tags?: Record<string, string> }[];
  configurationSet?: string;
  tags?: Record<string, string>;
}

/** The per-entry outcome of a bulk send: SES's status ("SUCCESS", "ACCOUNT_THROTTLED", …). */
export interface BulkEntryResult {
  status: string;
  messageId?: string;
  error?: string;
}

/** The email service (SES v2 in AWS and locally). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  sendBulk(email: BulkEmail): Promise<BulkEntryResult[]>;
}

/** A campaign's lifecycle: planned, then sent batch by batch; staff may pause or cancel an announcement. */
export type CampaignState = "planning" | "sending" | "done" | "paused" | "cancelled";

/** A campaign's header and counters. */
export interface Campaign {
  key: string;
  kind: CampaignKind;
  state: CampaignState;
  planned: number;
  sent: number;
  skipped: number;
  failed: number;
  batches: number;
  batchesDone: number;
  createdAt: string;
  /** Alert recipients dropped because their batch reached the sender after its delivery deadline (also counted in `skipped`). */
  expired?: number;
}

/** What a completed batch adds to its campaign's counters; `expired` recipients are also among the `skipped`. */
export interface BatchCounts {
  sent: number;
  skipped: number;
  failed: number;
  expired?: number;
}

/** One frozen batch: at most 50 recipients who all get the same variant. */
export interface CampaignBatch {
  campaign: string;
  batch: number;
  variant: string;
  language: Language;
  recipients: string[];
  status: "planned" | "sent";
  /** What became of each recipient so far. */
  results: BatchResults;
  attempts: number;
}

/** A variant as stored with its campaign: the compiled email and the language it is in. */
export interface StoredVariant extends CompiledVariant {
  language: Language;
  /** The team address replies go to, for mail about one mission; absent: the general address. */
  replyTo?: string;
}

/**
 * A variant stored as a recipe over its campaign's parts (a digest's): the sender assembles it from
 * the skeletons and item blocks stored once for the campaign (see emails/assemble.ts).
 */
export interface RecipeVariant {
  subject: string;
  language: Language;
  replyTo?: string;
  recipe: VariantRecipe;
}

/** What a campaign stores per variant: the compiled email, or a recipe to assemble it from. */
export type PlannedVariant = StoredVariant | RecipeVariant;

/** Whether a planned variant is a recipe. */
export const isRecipe = (variant: PlannedVariant): variant is RecipeVariant => "recipe" in variant;

/**
 * The skeletons and item blocks of campaigns whose variants are recipes: stored once per campaign,
 * not per variant. Adding parts never removes any, so a re-plan only adds what is new.
 */
export interface VariantPartsStore {
  putParts(key: string, parts: VariantParts): Promise<void>;
  /** Every part stored for the campaign (none: empty tables). */
  getParts(key: string): Promise<VariantParts>;
}

/**
 * The planning side of the durable campaign outbox: campaign headers and counters, the planning
 * lease, compiled variants and frozen batches.
 */
export interface CampaignOutbox {
  /** Creates the campaign header if it does not exist yet, and returns it. */
  openCampaign(key: string, kind: CampaignKind, nowMs: number): Promise<Campaign>;
  getCampaign(key: string): Promise<Campaign | undefined>;
  /** Only one planner plans a campaign at a time; false if another holds an unexpired lease. */
  takePlanLease(key: string, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  releasePlanLease(key: string, owner: string): Promise<void>;
  /** Everyone already in a batch of the campaign, and the highest batch number used. */
  plannedRecipients(key: string): Promise<{ recipients: Set<string>; lastBatch: number }>;
  putVariant(key: string, variantId: string, variant: PlannedVariant): Promise<void>;
  /** Stores many variants at once (a digest's few hundred recipes), as `putVariant` would each. */
  putVariants(key: string, variants: [variantId: string, variant: PlannedVariant][]): Promise<void>;
  getVariant(key: string, variantId: string): Promise<PlannedVariant | undefined>;
  /**
   * Writes each batch once (conditional on its number being free) and never overwrites one: answers
   * the batch numbers already taken by a different batch. A batch found with the same variant and
   * recipients is a retried write that found itself, and counts as written.
   */
  freezeBatches(batches: Omit<CampaignBatch, "status" | "results" | "attempts">[], dueAtMs: number): Promise<number[]>;
  /** Counts newly planned recipients and batches, once per planning `step`; marks the campaign sending. */
  addPlanned(key: string, recipients: number, batches: number, skipped: number, step: string): Promise<void>;
}

/**
 * The sending side of the outbox: leases on frozen batches, their per-recipient results and
 * delivery history, and the sweep index of unfinished batches.
 */
export interface BatchOutbox {
  /** Leases a planned batch for sending. */
  leaseBatch(key: string, batch: number, owner: string, nowMs: number, untilMs: number): Promise<{ leased: CampaignBatch } | { status: "sent" | "leased" | "missing" }>;
  /** Keeps the results so far and gives the lease back (a throttled batch continues later). */
  saveProgress(key: string, batch: number, owner: string, results: BatchResults, dueAtMs: number): Promise<void>;
  /** Marks a batch sent with every result and adds its counts to the campaign, in one transaction. */
  completeBatch(key: string, batch: number, owner: string, results: BatchResults, counts: BatchCounts): Promise<boolean>;
  /**
   * Writes the delivery records of a batch into its recipients' histories (idempotent puts, in
   * batches): called after the sends and before the batch is completed, so a completed batch always
   * has its history.
   */
  recordDeliveries(key: string, batch: number, deliveries: { subscriberId: string; record: DeliveryRecord }[]): Promise<void>;
  /** Unfinished batches due for a re-enqueue (lease expired or never picked up). */
  dueBatches(nowMs: number, limit: number): Promise<{ campaign: string; batch: number }[]>;
  /** Moves a batch's due time (after the sweeper re-enqueued it). */
  postpone(key: string, batch: number, dueAtMs: number): Promise<void>;
}

/** Who campaigns reached: their batches' recipients, and those who got them inside a bundled alert email. */
export interface CampaignReach {
  /** Records that a subscriber got an item inside a coalesced alert email. */
  recordBundled(campaignKeys: string[], subscriberId: string, language: Language): Promise<void>;
  /** Everyone these campaigns were for: each batch member with their outcome so far, and each bundled recipient. */
  recipientsOf(campaignKeys: string[]): Promise<CampaignRecipient[]>;
}

/** The account-wide send rate, shared by every sender. */
export interface SendPacer {
  /**
   * Reserves `recipients` sends. Answers the time (epoch ms) from which they may be sent, or, if the
   * wait would exceed `maxWaitMs`, reserves nothing and answers how long to wait before trying again.
   */
  reserve(recipients: number, nowMs: number, maxWaitMs: number): Promise<{ startAt: number } | { retryAfterMs: number }>;
}
