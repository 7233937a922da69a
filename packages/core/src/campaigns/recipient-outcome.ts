import type { DeliveryRecord } from "../subscription";
import type { CampaignKind, Language } from "../shared/vocabulary";

/**
 * Why the sender left a recipient out: the campaign was cancelled, the person cannot be mailed now, or
 * (`expired`) an immediate alert reached the sender after its delivery deadline and is no longer news.
 */
export type SkipReason = "cancelled" | "gone" | "pending" | "unsubscribed" | "suppressed" | "expired";

/** What became of one recipient of a batch, decided by the sender. */
export type RecipientOutcome =
  | { kind: "sent"; messageId: string }
  | { kind: "skipped"; reason: SkipReason }
  /** The mail service refused the email (its status or error name is the reason). */
  | { kind: "failed"; reason: string };

/** A batch's outcomes so far, by subscriber id (recipients not yet sent to have none). */
export type BatchResults = Record<string, RecipientOutcome>;

/** An outcome that counts as a delivery: an email sent, or one the mail service refused. */
export type Delivery = Extract<RecipientOutcome, { kind: "sent" | "failed" }>;

/**
 * Whether an outcome counts as a delivery. Each delivery gets a record in the recipient's history, so
 * their data export shows what we sent or tried to send them; a skipped recipient was never mailed.
 */
export const isDelivery = (outcome: RecipientOutcome): outcome is Delivery => outcome.kind !== "skipped";

/** A batch's outcomes counted, for its campaign's counters. */
export function countOutcomes(results: BatchResults): { sent: number; skipped: number; failed: number } {
  const counts = { sent: 0, skipped: 0, failed: 0 };
  for (const outcome of Object.values(results)) counts[outcome.kind] += 1;
  return counts;
}

/**
 * The delivery records of a batch: one per recipient whose outcome is a delivery, in the campaign's
 * kind and with the subject they were sent. SES feedback is added to them later.
 */
export function deliveryRecords(
  campaign: { key: string; kind: CampaignKind },
  batch: number,
  subject: string,
  at: string,
  results: BatchResults,
): { subscriberId: string; record: DeliveryRecord }[] {
  return Object.entries(results).flatMap(([subscriberId, outcome]) => {
    if (!isDelivery(outcome)) return [];
    const detail = outcome.kind === "sent" ? { messageId: outcome.messageId } : { reason: outcome.reason };
    return [{ subscriberId, record: { campaign: campaign.key, batch, kind: campaign.kind, subject, status: outcome.kind, at, ...detail, feedback: {} } }];
  });
}

/** Someone a campaign was for: a member of one of its batches, or someone who got it inside a bundled alert email. */
export type CampaignRecipient =
  | { via: "batch"; subscriberId: string; language: Language | undefined; outcome: RecipientOutcome | undefined }
  | { via: "bundle"; subscriberId: string; language: Language | undefined };

/**
 * Who campaigns reached, with their language: every batch member the sender did not skip (members of
 * a batch not sent yet will be reached), and everyone who got them in a bundled alert email.
 */
export function reachedRecipients(recipients: CampaignRecipient[]): Map<string, Language | undefined> {
  const reached = new Map<string, Language | undefined>();
  for (const r of recipients) if (r.via === "bundle" || r.outcome?.kind !== "skipped") reached.set(r.subscriberId, r.language);
  return reached;
}

/** The prefix stored outcomes of a kind begin with, for conditions on the stored form. */
export const storedOutcomePrefix = (kind: RecipientOutcome["kind"]) => `${kind}:`;

/**
 * An outcome in the form batch items store it: `sent:<message id>`, `skipped:<reason>` or
 * `failed:<reason>`. The DynamoDB adapters write and read results only through these two functions.
 */
export function encodeStoredOutcome(outcome: RecipientOutcome): string {
  return storedOutcomePrefix(outcome.kind) + (outcome.kind === "sent" ? outcome.messageId : outcome.reason);
}

/** An outcome back from its stored form; anything that is not sent or failed reads as skipped, as it always has. */
export function decodeStoredOutcome(stored: string): RecipientOutcome {
  const after = (kind: RecipientOutcome["kind"]) => (stored.startsWith(storedOutcomePrefix(kind)) ? stored.slice(storedOutcomePrefix(kind).length) : undefined);
  const messageId = after("sent");
  if (messageId !== undefined) return { kind: "sent", messageId };
  const failure = after("failed");
  if (failure !== undefined) return { kind: "failed", reason: failure };
  return { kind: "skipped", reason: (after("skipped") ?? stored) as SkipReason };
}
