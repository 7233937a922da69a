import type { ConsentRecord, ConsentSource, ErasedRecord } from "../consent";
import type { Cadence, CampaignKind, Language, Topic } from "../shared/vocabulary";
import type { Preferences } from "./schema";

/** Where a subscriber is in double opt-in: pending until confirmed, then active until they unsubscribe. */
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

/**
 * Subscriber profiles and their fan-out memberships: reads by id and by address, and every change of
 * a subscriber's state (sign-up, confirmation, new choices, unsubscribe, erasure), each all or nothing
 * with the ledger record it causes.
 */
export interface SubscriberProfiles {
  findByAddress(addressHmac: string, nowMs: number): Promise<Subscriber | undefined>;
  getSubscriber(subscriberId: string, nowMs: number): Promise<Subscriber | undefined>;
  /** Many subscribers by id in one round trip (erased or expired ones are absent from the map). */
  getSubscribers(subscriberIds: string[], nowMs: number): Promise<Map<string, Subscriber>>;
  /** Writes a new pending subscriber, its address lookup and its first ledger record, all or nothing. */
  createPending(subscriber: Subscriber, record: ConsentRecord): Promise<"created" | "exists">;
  /** Replaces a pending subscriber's choices and expiry and appends the record, all or nothing. */
  refreshPending(subscriber: Subscriber, record: ConsentRecord): Promise<void>;
  /** Activates a pending subscriber, clears its TTL, writes memberships and the record, all or nothing. */
  activate(subscriber: Subscriber, confirmedAt: string, record: ConsentRecord): Promise<"activated" | "not_pending">;
  /**
   * Replaces an active subscriber's choices: the profile, the memberships that changed and the ledger
   * record, all or nothing. "not_active" if they are no longer active.
   */
  updatePreferences(before: Subscriber, after: Subscriber, record: ConsentRecord): Promise<"updated" | "not_active">;
  /** Marks a subscriber unsubscribed, removes their memberships and appends the record, all or nothing; false if someone else already did. */
  unsubscribe(subscriber: Subscriber, at: string, record: ConsentRecord): Promise<boolean>;
  /**
   * Erases a subscriber. First, in one transaction: the profile, the address lookup and the
   * memberships go, the address HMAC is suppressed and an anonymised "erased" record is written. Then
   * everything else in the subscriber's partition (ledger, delivery history, alert windows) and the
   * soft-bounce counter. Running it again finishes an interrupted erasure.
   */
  erase(subscriberId: string, subscriber: Subscriber | undefined, erasedRecord: ErasedRecord): Promise<void>;
}

/**
 * A sign-up request as the request path took it, waiting for the sign-up worker: the address and
 * the choices, and the consent context the ledger records (when, from where, which policy version,
 * the cookie choices). Its id becomes the ledger record's id and the mail request's id.
 */
export interface SignUpRequest {
  id: string;
  /** When the request was made: the time of the consent. */
  at: string;
  email: string;
  addressHmac: string;
  language: Language;
  missions: string[];
  topics: Topic[];
  cadence: Cadence;
  cadenceByMission?: Record<string, Cadence>;
  policyVersion: string;
  cookies?: { functional: boolean; statistics: boolean };
  source: ConsentSource;
  /** The salted hash of the requester's IP, never the IP. */
  ipHash?: string;
}

/**
 * Sign-up requests between the request path and the worker. Keyed by the request's id, never by the
 * address, so storing one reads and costs the same whoever the address belongs to. They expire.
 */
export interface SignUpRequests {
  /** Stores a new request; `expiresAt` is epoch seconds. */
  putSignUpRequest(request: SignUpRequest, expiresAt: number): Promise<void>;
  /** The request as stored (unchecked: the worker checks it), or undefined once it is done or expired. */
  signUpRequest(requestId: string, nowMs: number): Promise<unknown>;
  /** Removes a request the worker has finished. */
  deleteSignUpRequest(requestId: string): Promise<void>;
}

/** Who follows what: the fan-out index campaigns are planned from (Query, never Scan). */
export interface SubscriberAudience {
  /**
   * Active subscribers of one mission, topic and cadence (their cadence for that mission), with their
   * language; `mixed` when they follow their missions at more than one cadence.
   */
  audience(missionId: string, topic: string, cadence: Cadence): Promise<AudienceMember[]>;
}

/** One member of a fan-out partition. */
export interface AudienceMember {
  subscriberId: string;
  language: Language;
  /** Set when the subscriber follows their missions at more than one cadence (absent on older items: one cadence). */
  mixed?: true;
}

/** The suppression list: address HMACs that are never mailed, and why. It survives erasure. */
export interface SuppressionList {
  /** Whether an address HMAC is on the suppression list. */
  isSuppressed(addressHmac: string): Promise<boolean>;
  /** Which of these address HMACs are suppressed, in one round trip. */
  suppressedAmong(addressHmacs: string[]): Promise<Set<string>>;
  /** Why an address HMAC is suppressed, if it is. */
  suppression(addressHmac: string): Promise<Suppression | undefined>;
  /** Puts an address HMAC on the suppression list (keeps the first reason if it is already there). */
  suppress(addressHmac: string, reason: SuppressionReason, at: string): Promise<void>;
}

/** Claims on transactional mail requests, so a redelivered send job is sent at most once. */
export interface MailRequestClaims {
  /** Claims a transactional mail request once; false if it was already claimed (a redelivery). */
  claimMailRequest(subscriberId: string, requestId: string): Promise<boolean>;
  /** Gives a claim back after a failed send, so the retry can send. */
  releaseMailRequest(subscriberId: string, requestId: string): Promise<void>;
}

/**
 * Uses of emailed data-rights links, counted per link id, so an erasure link works once and an export
 * link a few times. The counts outlive the subscriber (they are keyed by the link, not the person) and
 * expire with the link.
 */
export interface LinkUses {
  /** Counts one use of a link; false once it has been used `maxUses` times. `expiresAt` is epoch seconds. */
  useLink(linkId: string, maxUses: number, expiresAt: number): Promise<boolean>;
  /** Gives one use back after the action failed, so the link can be tried again. */
  releaseLink(linkId: string): Promise<void>;
}

/** A subscriber's delivery history: written by the campaign outbox, read for their data export. */
export interface DeliveryHistory {
  /** The emails a subscriber was sent, newest campaign last. */
  deliveries(subscriberId: string): Promise<DeliveryRecord[]>;
}

export type SuppressionReason = "hard-bounce" | "complaint" | "soft-bounces" | "erased";

/** An entry on the suppression list: the address only as its peppered HMAC. */
export interface Suppression {
  reason: SuppressionReason;
  at: string;
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

/** Brings one subscriber's stored shape up to date with their choices (the cadence-by-mission migration). */
export interface MembershipRepair {
  /**
   * Makes the fan-out memberships match the profile: each chosen mission × topic keyed at that
   * mission's cadence, with the language and the `mixed` mark, none for anything not chosen; and the
   * profile's `cadenceByMission` normalised. Writes only what differs, all or nothing, only while the
   * subscriber is active and unchanged since read ("changed" otherwise; a run again picks them up).
   */
  repairMemberships(subscriber: Subscriber): Promise<"unchanged" | "rewritten" | "changed">;
}

/**
 * Counts an unsubscribe on the campaign whose email it came from, once per event id (SES feedback's
 * campaign counters; the feedback store implements it).
 */
export interface CampaignUnsubscribes {
  countOnce(eventId: string, campaignKey: string | undefined, counter: "unsubscribed", nowMs: number): Promise<boolean>;
}
