import type { Mission } from "./missions/catalogue";
import type { ConsentRecord } from "./consent/ledger";
import type { Preferences } from "./subscription/schema";

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
  /** Whether an address HMAC is on the suppression list. */
  isSuppressed(addressHmac: string): Promise<boolean>;
  /** Claims a transactional mail request once; false if it was already claimed (a redelivery). */
  claimMailRequest(subscriberId: string, requestId: string): Promise<boolean>;
  /** Gives a claim back after a failed send, so the retry can send. */
  releaseMailRequest(subscriberId: string, requestId: string): Promise<void>;
  /** The ledger of one subscriber, oldest first. */
  ledger(subscriberId: string): Promise<ConsentRecord[]>;
}

/** Fixed-window counters for abuse protection. */
export interface RateLimiter {
  /** Counts one hit; answers whether it is within `limit` for the window, and when the window ends. */
  hit(scope: "address" | "ip", subjectHash: string, limit: number, windowSeconds: number, nowMs: number): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

/** A request to send one transactional email. Carries ids, never addresses. */
export interface MailJob {
  kind: "confirm" | "already-subscribed";
  subscriberId: string;
  /** Unique per request: a redelivered job with the same id is sent at most once. */
  requestId: string;
}

/** The paced send queue. Transactional mail goes in with priority. */
export interface MailQueue {
  enqueue(job: MailJob): Promise<void>;
}

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

/** The email service (SES v2 in AWS and locally). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
