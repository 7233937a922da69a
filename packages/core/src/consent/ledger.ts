import { createHmac } from "node:crypto";
import type { Cadence, Language, Topic } from "../shared/vocabulary";
import { policyText } from "./policies";

export type ConsentEvent = "requested" | "confirmed" | "updated" | "withdrawn" | "erased";
/**
 * Where a consent event came from; "feedback" is a complaint reported by the mailbox provider through
 * SES; "staff" a change staff made (a mission retired), never a person's own choice.
 */
export type ConsentSource = "web" | "api" | "import" | "email" | "feedback" | "staff";

/**
 * One append-only ledger entry: what was consented to, under which policy text, from where and when.
 * The IP address is kept only as a salted hash.
 */
export interface ConsentRecord {
  id: string;
  subscriberId: string;
  at: string;
  event: ConsentEvent;
  missions: string[];
  topics: Topic[];
  cadence: Cadence;
  /** Per-mission cadences that differ from `cadence` (absent when one cadence holds for every mission). */
  cadenceByMission?: Record<string, Cadence>;
  language: Language;
  policyVersion: string;
  /** The server's consent text for that version and language, never text sent by the client. */
  text: string;
  textHash: string;
  cookies?: { functional: boolean; statistics: boolean };
  /** Open and click tracking, as chosen in the preference centre (absent means off). */
  tracking?: boolean;
  source: ConsentSource;
  ipHash?: string;
  /** Why the choices changed when the person did not change them, e.g. `mission-retired:food-system`. */
  reason?: string;
  /**
   * For imported people: where their consent was given, as staff stated it ("paper form at the 2026
   * launch"), and the earlier confirmation they claimed, if any. The person's own proof, not ours.
   */
  evidence?: { consentSource: string; claimedConfirmedAt?: string };
}

/** Salted SHA-256 HMAC of an IP address, so the ledger can show "same origin" without holding the IP. */
export function hashIp(ip: string | undefined, salt: string): string | undefined {
  return ip ? createHmac("sha256", salt).update(ip).digest("hex") : undefined;
}

/** Builds a ledger record from the server's copy of the policy text. Throws if the version is unknown. */
export function consentRecord(input: Omit<ConsentRecord, "text" | "textHash">): ConsentRecord {
  const policy = policyText(input.policyVersion, input.language);
  if (!policy) throw new Error(`Unknown policy version ${input.policyVersion}`);
  return { ...input, text: policy.text, textHash: policy.hash };
}

/** A ledger record of an event on a subscriber's current choices (confirmed, updated, withdrawn). */
export function recordFor(
  subscriber: { id: string; missions: string[]; topics: Topic[]; cadence: Cadence; cadenceByMission?: Record<string, Cadence>; language: Language; policyVersion: string; tracking?: boolean },
  event: ConsentEvent,
  at: string,
  id: string,
  source: ConsentSource,
): ConsentRecord {
  const { missions, topics, cadence, cadenceByMission, language, policyVersion, tracking } = subscriber;
  return consentRecord({ id, subscriberId: subscriber.id, at, event, missions, topics, cadence, ...(cadenceByMission ? { cadenceByMission } : {}), language, policyVersion, source, ...(tracking ? { tracking } : {}) });
}

/** What is left in the ledger after an erasure: when, and nothing that identifies the person. */
export interface ErasedRecord {
  id: string;
  subscriberId: string;
  at: string;
  event: "erased";
}
