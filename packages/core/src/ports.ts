import type { Mission } from "./missions/catalogue";
import type { ConsentRecord } from "./consent/ledger";
import type { Cadence, Language, Preferences } from "./subscription/schema";
import type { ContentItem } from "./content/schema";
import type { CompiledVariant } from "./delivery/compiled-variant";
import type { Announcement, PausedReason } from "./announcement/schema";

/** Wall-clock time, injected so tests can move it. */
export interface Clock {
  now(): number;
}

/** Sortable unique ids. */
export interface Ids {
  next(): string;
}

export type SubscriberStatus = "pending" | "active" | "unsubscribed";

/** A subscriber as stored. `email` is the only copy of the address; keys hold only its HMAC. */
export interface Subscriber extends Preferences {
  id: string;
  email: string;
  addressHmac: string;
  status: SubscriberStatus;
  /** The consent policy version the subscriber last agreed to. */
  policyVersion: string;
  createdAt: string;
  confirmedAt?: string;
  /** When the choices were last changed in the preference centre (guards concurrent changes). */
  preferencesAt?: string;
  /** Epoch seconds after which a pending subscriber no longer exists (DynamoDB TTL). */
  expiresAt?: number;
}

/** Persistence the subscription use cases need. The DynamoDB adapter implements it. */
export interface SubscriberStore {
  listMissions(): Promise<Mission[]>;
  findByAddress(addressHmac: string, nowMs: number): Promise<Subscriber | undefined>;
  getSubscriber(subscriberId: string, nowMs: number): Promise<Subscriber | undefined>;
  /** Writes a new pending subscriber, its address lookup and its first ledger record, all or nothing. */
  createPending(subscriber: Subscriber, record: ConsentRecord): Promise<"created" | "exists">;
  /** Replaces a pending subscriber's choices and expiry and appends the record, all or nothing. */
  refreshPending(subscriber: Subscriber, record: ConsentRecord): Promise<void>;
  /** Activates a pending subscriber, clears its TTL, writes memberships and the record, all or nothing. */
  activate(subscriber: Subscriber, confirmedAt: string, record: ConsentRecord): Promise<"activated" | "not_pending">;
  /** Marks a subscriber unsubscribed, removes their memberships and appends the record, all or nothing; false if someone else already did. */
  unsubscribe(subscriber: Subscriber, at: string, record: ConsentRecord): Promise<boolean>;
  /** Whether an address HMAC is on the suppression list. */
  isSuppressed(addressHmac: string): Promise<boolean>;
  /** Claims a transactional mail request once; false if it was already claimed (a redelivery). */
  claimMailRequest(subscriberId: string, requestId: string): Promise<boolean>;
  /** Gives a claim back after a failed send, so the retry can send. */
  releaseMailRequest(subscriberId: string, requestId: string): Promise<void>;
  /** The ledger of one subscriber, oldest first. */
  ledger(subscriberId: string): Promise<ConsentRecord[]>;
  /** Many subscribers by id in one round trip (erased or expired ones are absent from the map). */
  getSubscribers(subscriberIds: string[], nowMs: number): Promise<Map<string, Subscriber>>;
  /** Which of these address HMACs are suppressed, in one round trip. */
  suppressedAmong(addressHmacs: string[]): Promise<Set<string>>;
  /** Active subscribers of one mission, topic and cadence, with their language (fan-out by index). */
  audience(missionId: string, topic: string, cadence: Cadence): Promise<{ subscriberId: string; language: Language }[]>;
  /**
   * Replaces an active subscriber's choices: the profile, the memberships that changed and the ledger
   * record, all or nothing. "not_active" if they are no longer active.
   */
  updatePreferences(before: Subscriber, after: Subscriber, record: ConsentRecord): Promise<"updated" | "not_active">;
  /** The emails a subscriber was sent, newest campaign last. */
  deliveries(subscriberId: string): Promise<DeliveryRecord[]>;
  /** Why an address HMAC is suppressed, if it is. */
  suppression(addressHmac: string): Promise<Suppression | undefined>;
  /** Puts an address HMAC on the suppression list (keeps the first reason if it is already there). */
  suppress(addressHmac: string, reason: SuppressionReason, at: string): Promise<void>;
  /**
   * Erases a subscriber. First, in one transaction: the profile, the address lookup and the
   * memberships go, the address HMAC is suppressed and an anonymised "erased" record is written. Then
   * everything else in the subscriber's partition (ledger, delivery history, alert windows) and the
   * soft-bounce counter. Running it again finishes an interrupted erasure.
   */
  erase(subscriberId: string, subscriber: Subscriber | undefined, erasedRecord: ErasedRecord): Promise<void>;
}

export type SuppressionReason = "hard-bounce" | "complaint" | "soft-bounces" | "erased";

/** An entry on the suppression list: the address only as its peppered HMAC. */
export interface Suppression {
  reason: SuppressionReason;
  at: string;
}

/** What is left in the ledger after an erasure: when, and nothing that identifies the person. */
export interface ErasedRecord {
  id: string;
  subscriberId: string;
  at: string;
  event: "erased";
}

/** One campaign email as it reached (or failed to reach) one subscriber; feedback is added when SES reports it. */
export interface DeliveryRecord {
  campaign: string;
  /** The campaign's batch the email went out in. */
  batch: number;
  kind: CampaignKind;
  subject: string;
  status: "sent" | "failed";
  messageId?: string;
  reason?: string;
  at: string;
  /** What SES reported later: delivered, bounced, complained, … */
  feedback?: Record<string, string>;
}

/** Fixed-window counters for abuse protection. */
export interface RateLimiter {
  /** Counts one hit; answers whether it is within `limit` for the window, and when the window ends. */
  hit(scope: "address" | "ip" | "data-rights", subjectHash: string, limit: number, windowSeconds: number, nowMs: number): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

/** A request to send one transactional email. Carries ids, never addresses. */
export interface MailJob {
  kind: "confirm" | "already-subscribed" | "data-export" | "data-erase";
  subscriberId: string;
  /** Unique per request: a redelivered job with the same id is sent at most once. */
  requestId: string;
}

/** A pointer to one frozen batch of a campaign: the sender leases the batch and sends it. */
export interface BatchJob {
  kind: "batch";
  campaign: string;
  batch: number;
}

/** Everything that goes through the paced send queue. */
export type SendJob = MailJob | BatchJob;

/** A planning job: a digest run, or the end of a subscriber's alert window. */
export type PlanJob =
  | { kind: "plan-digest"; cadence: "weekly" | "monthly"; runId: string; period?: string }
  | { kind: "flush-alerts"; subscriberId: string; windowEndsAt: number }
  /** A staff announcement to send; `at` (epoch ms) names the schedule that fired, if one did. */
  | { kind: "plan-announcement"; id: string; at?: number }
  /** A retired mission: tell its followers once and take it out of their choices. */
  | { kind: "retire-mission"; missionId: string };

/** A queue of jobs (SQS in AWS). `delaySeconds` (at most 900) holds a job back, as SQS DelaySeconds does. */
export interface JobQueue<T> {
  enqueue(job: T, options?: { delaySeconds?: number }): Promise<void>;
  enqueueMany(jobs: T[]): Promise<void>;
}

/** The paced send queue. Transactional mail goes in with priority. */
export type MailQueue = JobQueue<SendJob>;

/** Where messages that can never succeed go, with the reason, instead of being retried. */
export interface DeadLetterQueue {
  put(body: string, reason: string): Promise<void>;
}

export interface OutgoingEmail {
  to: string;
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

/** Publishes domain events to the event bus; throws unless every entry was accepted. */
export interface EventPublisher {
  publish(events: { source: string; detailType: string; detail: unknown }[]): Promise<void>;
}

/** A content item as stored: its newest version, publishing state and which versions were alerted. */
export interface StoredContent {
  item: ContentItem;
  status: "published" | "unpublished";
  /** Versions for which an alert or a "changed" notice campaign was planned. */
  alertedVersions: number[];
  updatedAt: string;
  /** The version before a material change, kept for the "changed" notice. */
  previousItem?: ContentItem;
}

/** Content by id, and by mission and date for digests. */
export interface ContentStore {
  getContent(itemId: string): Promise<StoredContent | undefined>;
  /**
   * Writes a new state of an item and its per-mission index entries, all or nothing, only if the
   * stored state is still `previous` (optimistic concurrency): "conflict" means someone else wrote.
   */
  putContent(next: StoredContent, previous: StoredContent | undefined): Promise<"written" | "conflict">;
  /** Seminars of a mission starting in [fromIso, toIso), by start time. */
  upcomingSeminars(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]>;
  /** Publications and news of a mission published in [fromIso, toIso). */
  articlesBetween(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]>;
}

export type CampaignKind = "digest" | "alert" | "alert-bundle" | "announcement" | "mission-retired";
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
}

/** One frozen batch: at most 50 recipients who all get the same variant. */
export interface CampaignBatch {
  campaign: string;
  batch: number;
  variant: string;
  language: Language;
  recipients: string[];
  status: "planned" | "sent";
  /** Per recipient: "sent:<message id>", "skipped:<reason>" or "failed:<reason>". */
  results: Record<string, string>;
  attempts: number;
}

/** A variant as stored with its campaign: the compiled email and the language it is in. */
export interface StoredVariant extends CompiledVariant {
  language: Language;
}

/** The durable campaign outbox: campaigns, their frozen batches and variants, leases and the sweep index. */
export interface Outbox {
  /** Creates the campaign header if it does not exist yet, and returns it. */
  openCampaign(key: string, kind: CampaignKind, nowMs: number): Promise<Campaign>;
  getCampaign(key: string): Promise<Campaign | undefined>;
  /** Only one planner plans a campaign at a time; false if another holds an unexpired lease. */
  takePlanLease(key: string, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  releasePlanLease(key: string, owner: string): Promise<void>;
  /** Everyone already in a batch of the campaign, and the highest batch number used. */
  plannedRecipients(key: string): Promise<{ recipients: Set<string>; lastBatch: number }>;
  putVariant(key: string, variantId: string, variant: StoredVariant): Promise<void>;
  getVariant(key: string, variantId: string): Promise<StoredVariant | undefined>;
  /** Writes a batch once (conditional on its number being free); false if the number was taken. */
  freezeBatch(batch: Omit<CampaignBatch, "status" | "results" | "attempts">, dueAtMs: number): Promise<boolean>;
  /** Counts newly planned recipients and batches, once per planning `step`; marks the campaign sending. */
  addPlanned(key: string, recipients: number, batches: number, skipped: number, step: string): Promise<void>;
  /** Leases a planned batch for sending. */
  leaseBatch(key: string, batch: number, owner: string, nowMs: number, untilMs: number): Promise<{ leased: CampaignBatch } | { status: "sent" | "leased" | "missing" }>;
  /** Keeps the results so far and gives the lease back (a throttled batch continues later). */
  saveProgress(key: string, batch: number, owner: string, results: Record<string, string>, dueAtMs: number): Promise<void>;
  /** Marks a batch sent with every result and adds its counts to the campaign, in one transaction. */
  completeBatch(key: string, batch: number, owner: string, results: Record<string, string>, counts: { sent: number; skipped: number; failed: number }): Promise<boolean>;
  /** Unfinished batches due for a re-enqueue (lease expired or never picked up). */
  dueBatches(nowMs: number, limit: number): Promise<{ campaign: string; batch: number }[]>;
  /** Moves a batch's due time (after the sweeper re-enqueued it). */
  postpone(key: string, batch: number, dueAtMs: number): Promise<void>;
  /**
   * Writes each recipient's delivery record for a batch (idempotent puts, in batches): called after
   * the sends and before the batch is completed, so a completed batch always has its history.
   */
  recordDeliveries(key: string, batch: number, kind: CampaignKind, subject: string, at: string, results: Record<string, string>): Promise<void>;
  /** Records that a subscriber got an item inside a coalesced alert email. */
  recordBundled(campaignKeys: string[], subscriberId: string, language: Language): Promise<void>;
  /** Everyone who was alerted in these campaigns: batch members not skipped, and bundled recipients. */
  alertedRecipients(campaignKeys: string[]): Promise<Map<string, Language | undefined>>;
}

/**
 * Per-subscriber alert windows, so a burst of items (a CMS bulk import) becomes one email: the first
 * alert opens a window and goes out at once; items inside the window are collected and sent together
 * when it ends. Item references are `<item id>#<version>`.
 */
export interface AlertWindows {
  /** Opens a window ending at `windowEndsAt` unless one is open; answers the open window's end either way. */
  open(subscriberId: string, itemRef: string, nowMs: number, windowEndsAt: number): Promise<{ opened: boolean; windowEndsAt: number }>;
  /** Collects an item into a window: "first" if it is the window's first collected item, "closed" if already flushed. */
  collect(subscriberId: string, windowEndsAt: number, itemRef: string): Promise<"first" | "added" | "closed">;
  /** Closes a window's collection for good and returns its items. Idempotent. */
  close(subscriberId: string, windowEndsAt: number): Promise<string[]>;
  /** A subscriber's windows that are not flushed yet, with what each collected. */
  unflushed(subscriberId: string): Promise<{ windowEndsAt: number; items: string[] }[]>;
  /** Takes items out of a window that is not flushed yet; a window flushed meanwhile is left as it is. */
  discard(subscriberId: string, windowEndsAt: number, itemRefs: string[]): Promise<void>;
}

/**
 * A content item a planner left out of its emails because it cannot be put into one (a link the URL
 * rule refuses, a date that cannot be formatted): the other items still go out.
 */
export interface ItemLeftOut {
  code: "item_left_out";
  itemId: string;
  version: number;
  /** Why, in English, for staff and the logs. */
  reason: string;
}

/** A digest run, started on demand or by the schedule. */
export interface DigestRun {
  runId: string;
  cadence: "weekly" | "monthly";
  period: string;
  campaign: string;
  state: "queued" | "planning" | "planned" | "failed";
  /** Recipients this run planned, and those it left out because their digest would be empty. */
  planned: number;
  empty: number;
  createdAt: string;
  error?: string;
  /** What the run left out and staff should know about; absent when there was nothing. */
  warnings?: ItemLeftOut[];
}

/** Digest runs, for status polling. */
export interface RunStore {
  putRun(run: DigestRun): Promise<void>;
  getRun(runId: string): Promise<DigestRun | undefined>;
  /** The latest runs, newest first. */
  listRuns(limit: number): Promise<DigestRun[]>;
}

/** The account-wide send rate, shared by every sender. */
export interface SendPacer {
  /**
   * Reserves `recipients` sends. Answers the time (epoch ms) from which they may be sent, or, if the
   * wait would exceed `maxWaitMs`, reserves nothing and answers how long to wait before trying again.
   */
  reserve(recipients: number, nowMs: number, maxWaitMs: number): Promise<{ startAt: number } | { retryAfterMs: number }>;
}

/** A campaign counter SES feedback moves. */
export type FeedbackCounter = "delivered" | "bounced" | "softBounced" | "complained" | "rejected" | "renderingFailed" | "delayed" | "opened" | "clicked" | "unsubscribed";

/** What SES feedback events change, each idempotent on the event id or on its own key. */
export interface FeedbackStore {
  /** Counts an event once for its campaign (if it has one): false if this event id was already counted. */
  countOnce(eventId: string, campaignKey: string | undefined, counter: FeedbackCounter, nowMs: number): Promise<boolean>;
  /** Records a soft bounce under its event id and answers how many the address had within `windowMs`. */
  softBounce(addressHmac: string, eventId: string, atMs: number, windowMs: number): Promise<number>;
  /**
   * A batch entry SES accepted and then could not render: marks it failed with the reason and moves
   * the campaign's counters from sent to failed, once.
   */
  markEntryFailed(campaignKey: string, batch: number, subscriberId: string, reason: string): Promise<boolean>;
  /** Adds what SES reported to the recipient's delivery record, if there is one. */
  noteDelivery(subscriberId: string, campaignKey: string, event: string, at: string): Promise<void>;
}

/** A signed-in staff member, as a verified staff token names them. */
export interface StaffIdentity {
  /** The identity provider's stable subject id (Cognito's `sub`). */
  sub: string;
  /** The address, when the token carries one (Cognito ID tokens and local tokens do; access tokens do not). */
  email?: string;
  /** The groups the identity belongs to (Cognito's `cognito:groups`). */
  groups: string[];
}

/**
 * Verifies a staff bearer token (a JWT): signature (RS256 or ES256 only), issuer, audience or client
 * id, expiry and not-before. Cognito's JWKS in AWS, the local issuer's public key locally. Throws
 * `InvalidStaffToken` (packages/core/src/staff/identity.ts) for a token it does not accept; any other
 * error means the keys could not be had.
 */
export interface StaffTokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

/** One staff action as the audit log keeps it: who, what and when. Never changed once written. */
export interface AuditEntry {
  id: string;
  /** ISO time of the action. */
  at: string;
  actor: { sub: string; email?: string };
  /** Dotted lower-case name, e.g. `digest.run`, `announcement.send`. */
  action: string;
  /** What the action was on: a run id, an announcement id, a mission id. */
  targetId: string;
  /** The request's key fields, small. */
  details: Record<string, unknown>;
}

/** The append-only audit log of staff actions. */
export interface AuditLog {
  /** Writes an entry once; writing the same entry again is refused by the store. */
  append(entry: AuditEntry): Promise<void>;
  /** Entries newest first, `limit` at a time; `before` is the `next` of the previous page. */
  list(options: { limit: number; before?: string }): Promise<{ entries: AuditEntry[]; next?: string }>;
}

/** What the per-mission charts count, per Stockholm day. */
export type StatCounter = "joined" | "left" | "sent" | "bounced" | "complained" | "unsubscribed";

/**
 * Per-mission daily counters and each mission's running subscriber total, for the staff charts and
 * `mm stats`. Best effort by contract: `add` never throws, so statistics never fail what they count.
 */
export interface MissionStats {
  /** Adds to a mission's counters for a day, and `totalDelta` to its running subscriber total. */
  add(missionId: string, day: string, counts: Partial<Record<StatCounter, number>>, totalDelta?: number): Promise<void>;
  /** A mission's counters for the days in [fromDay, toDay], and its running total now. */
  read(missionId: string, fromDay: string, toDay: string): Promise<{ days: Map<string, Partial<Record<StatCounter, number>>>; total: number }>;
}

/** A mission as staff manage it: the catalogue entry with its version, for optimistic concurrency. */
export interface ManagedMission extends Mission {
  /** Goes up by one with every change; an edit names the version it started from. */
  version: number;
  createdAt?: string;
  updatedAt?: string;
  retiredAt?: string;
}

/** The missions catalogue, as staff change it without a deploy. Items: `PK=MISSIONS`, `SK=MISSION#<id>`. */
export interface MissionCatalogue {
  /** Every mission, retired ones included. */
  listAll(): Promise<ManagedMission[]>;
  get(missionId: string): Promise<ManagedMission | undefined>;
  /** Adds a mission at version 1; "exists" if the id is taken. */
  add(mission: ManagedMission): Promise<"added" | "exists">;
  /** Replaces name, description and contact if the stored version is still `expectedVersion`. */
  update(mission: ManagedMission, expectedVersion: number): Promise<"updated" | "conflict">;
  /** Marks a mission retired (once; retiring again changes nothing) and answers it as stored. */
  retire(missionId: string, at: string): Promise<ManagedMission | undefined>;
}

/** Staff-side reads and writes of subscribers: imports and the export of active subscribers. */
export interface SubscriberDirectory {
  /**
   * Writes an imported subscriber who proved an earlier confirmation: active at once, with the address
   * lookup, the ledger record and the fan-out memberships, all or nothing. "exists" if the address is
   * already known.
   */
  importActive(subscriber: Subscriber, record: ConsentRecord): Promise<"created" | "exists">;
  /** Takes back a pending sign-up whose confirmation could not be queued (profile, lookup, record). */
  discardPending(subscriber: Subscriber, recordId: string, recordAt: string): Promise<void>;
  /**
   * Active subscribers, a page at a time, through the sparse `GSI1PK=SUBSCRIBERS` index (never Scan),
   * each re-read consistently so that nobody erased or unsubscribed since is listed.
   */
  activeSubscribers(limit: number, nowMs: number, after?: string): Promise<{ subscribers: Subscriber[]; last?: string }>;
}

/** Staff announcements, by id and newest first. */
export interface AnnouncementStore {
  /** Writes a new announcement once (conditional on its id being free). */
  createAnnouncement(announcement: Announcement): Promise<void>;
  getAnnouncement(id: string): Promise<Announcement | undefined>;
  /** Replaces an announcement only if it is still at `expectedVersion`; false means someone else changed it first. */
  replaceAnnouncement(next: Announcement, expectedVersion: number): Promise<boolean>;
  /** Announcements newest first, `limit` at a time; `before` is the `next` of the previous page. */
  listAnnouncements(options: { limit: number; before?: string }): Promise<{ announcements: Announcement[]; next?: string }>;
}

/** A campaign's header as staff follow it: the outbox counters, SES feedback counters and why it is paused. */
export interface CampaignStatus extends Campaign {
  delivered?: number;
  bounced?: number;
  complained?: number;
  unsubscribed?: number;
  pausedReason?: PausedReason;
  /** When it was last resumed, and the counters then: the automatic pause measures what came after. */
  resumedAt?: string;
  baseSent?: number;
  baseBounced?: number;
  baseComplained?: number;
}

/** Staff control over a campaign that is sending: pause, resume and cancel, each a conditional update of its state. */
export interface CampaignControl {
  campaignStatus(key: string): Promise<CampaignStatus | undefined>;
  /**
   * Pauses a planning or sending campaign; false if it was not in one of those states. `resumedAt`,
   * when given, must still be the campaign's, so a decision made on counters read before a resume
   * cannot pause what was resumed since.
   */
  pauseCampaign(key: string, reason: PausedReason, expected?: { resumedAt: string | undefined }): Promise<boolean>;
  /** Resumes a paused campaign and notes the counters at this moment; false if it was not paused. */
  resumeCampaign(key: string, at: string): Promise<boolean>;
  /** Cancels a campaign that has not finished; false if it was done or cancelled already. */
  cancelCampaign(key: string, at: string): Promise<boolean>;
  /** The batches of a campaign that are not sent yet. */
  unsentBatches(key: string): Promise<number[]>;
  /** Marks a sending campaign done if every batch is (after a resume, when the last batches finished while paused). */
  finishIfDone(key: string): Promise<void>;
}

/**
 * One-off schedules for announcements: at the instant, a `plan-announcement` job naming it reaches the
 * plan queue. EventBridge Scheduler in AWS (a schedule per announcement and instant, deleted after it
 * runs); the local scheduler's clock locally. Both calls are idempotent.
 */
export interface AnnouncementScheduler {
  schedule(announcementId: string, atMs: number): Promise<void>;
  unschedule(announcementId: string, atMs: number): Promise<void>;
}
