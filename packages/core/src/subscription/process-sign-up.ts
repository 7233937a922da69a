import * as z from "zod";
import { consentRecord, type ConsentLedger } from "../consent";
import type { Clock, MailQueue } from "../platform/ports";
import { CADENCES, LANGUAGES, TOPICS } from "../shared/vocabulary";
import { TOKEN_LIFETIMES } from "../shared/tokens";
import type { SignUpRequest, SignUpRequests, Subscriber, SubscriberProfiles } from "./ports";

/** What the sign-up worker needs: the subscriber store (profiles, ledger, the requests) and the send queue. */
export interface SignUpWorkerDeps {
  store: SubscriberProfiles & ConsentLedger & SignUpRequests;
  queue: MailQueue;
  clock: Clock;
}

/**
 * The stored shape of a sign-up request, checked before the worker acts on it: a request that is not
 * this is dead-lettered with the reason, never half-processed.
 */
export const StoredSignUpRequest: z.ZodType<SignUpRequest> = z.object({
  id: z.string().min(1).max(64),
  at: z.iso.datetime(),
  email: z.string().min(3).max(320),
  addressHmac: z.string().min(1).max(128),
  language: z.enum(LANGUAGES),
  missions: z.array(z.string().min(1).max(64)).min(1).max(30),
  topics: z.array(z.enum(TOPICS)).min(1),
  cadence: z.enum(CADENCES),
  cadenceByMission: z.record(z.string(), z.enum(CADENCES)).optional(),
  policyVersion: z.string().min(1).max(64),
  cookies: z.object({ functional: z.boolean(), statistics: z.boolean() }).optional(),
  source: z.enum(["web", "api", "import", "email", "feedback", "staff"]),
  ipHash: z.string().max(128).optional(),
}) as z.ZodType<SignUpRequest>;

export type SignUpOutcome =
  /** A new or pending address: pending now, with a "requested" ledger record, and a confirmation queued. */
  | { outcome: "confirmation_queued"; subscriberId: string }
  /** An active address: nothing changed; the "you already subscribe" email with a preferences link is queued. */
  | { outcome: "already_subscribed"; subscriberId: string }
  /** The request is done already (a redelivery after the worker finished) or expired. */
  | { outcome: "gone" }
  /** The stored request is not a sign-up request: nothing is done, the message is dead-lettered with the reason. */
  | { outcome: "invalid"; reason: string };

/**
 * Decides a sign-up request off the request path, so that how long the answer took cannot tell whether
 * the address is subscribed. A new address becomes a pending subscriber (with a TTL) and a pending one
 * is refreshed with the new choices, each with a "requested" ledger record carrying the request's
 * consent context (its time, source, IP hash, policy version and cookie choices), and a confirmation is
 * queued; an active address is changed in nothing and sent a link to its preferences instead.
 *
 * Idempotent: the request's id is the ledger record's id and the mail request's id. A redelivered
 * message finds the request gone once it is finished; one redelivered before that finds its own record
 * in the ledger and writes nothing again, and the send-mail consumer's claim on the request id sends
 * the email at most once.
 */
export async function processSignUp(deps: SignUpWorkerDeps, requestId: string, attempt = 0): Promise<SignUpOutcome> {
  const now = deps.clock.now();
  const stored = await deps.store.signUpRequest(requestId, now);
  if (stored === undefined) return { outcome: "gone" };
  const checked = StoredSignUpRequest.safeParse(stored);
  if (!checked.success) {
    return { outcome: "invalid", reason: `sign-up request ${requestId.slice(0, 64)}: ${checked.error.issues.map((i) => `${i.path.join(".") || "(request)"}: ${i.message}`).join("; ")}` };
  }
  const request = checked.data;
  if (request.id !== requestId) return { outcome: "invalid", reason: `sign-up request ${requestId.slice(0, 64)}: stored under another id` };

  const existing = await deps.store.findByAddress(request.addressHmac, now);
  if (existing?.status === "active") {
    await deps.queue.enqueue({ kind: "already-subscribed", subscriberId: existing.id, requestId });
    await deps.store.deleteSignUpRequest(requestId);
    return { outcome: "already_subscribed", subscriberId: existing.id };
  }

  const requestedMs = Date.parse(request.at);
  const subscriber: Subscriber = {
    id: existing?.id ?? requestId,
    email: request.email,
    addressHmac: request.addressHmac,
    status: "pending",
    policyVersion: request.policyVersion,
    language: request.language,
    missions: request.missions,
    topics: request.topics,
    cadence: request.cadence,
    ...(request.cadenceByMission ? { cadenceByMission: request.cadenceByMission } : {}),
    tracking: false,
    createdAt: existing?.createdAt ?? request.at,
    expiresAt: Math.floor(requestedMs / 1000) + TOKEN_LIFETIMES.confirm,
  };
  const record = consentRecord({
    id: requestId,
    subscriberId: subscriber.id,
    at: request.at,
    event: "requested",
    missions: request.missions,
    topics: request.topics,
    cadence: request.cadence,
    ...(request.cadenceByMission ? { cadenceByMission: request.cadenceByMission } : {}),
    language: request.language,
    policyVersion: request.policyVersion,
    ...(request.cookies ? { cookies: request.cookies } : {}),
    source: request.source,
    ...(request.ipHash ? { ipHash: request.ipHash } : {}),
  });

  if (existing) {
    // A redelivery of a request already written finds its own record and writes nothing again.
    const written = (await deps.store.ledger(existing.id)).some((r) => r.id === requestId);
    if (!written) await deps.store.refreshPending(subscriber, record);
  } else if ((await deps.store.createPending(subscriber, record)) === "exists") {
    // Another request for the same address was decided first; decide this one again as a repeat of it.
    if (attempt > 0) throw new Error(`sign-up request ${requestId}: the address changed while it was decided; the queue retries it`);
    return processSignUp(deps, requestId, attempt + 1);
  }
  await deps.queue.enqueue({ kind: "confirm", subscriberId: subscriber.id, requestId });
  await deps.store.deleteSignUpRequest(requestId);
  return { outcome: "confirmation_queued", subscriberId: subscriber.id };
}
