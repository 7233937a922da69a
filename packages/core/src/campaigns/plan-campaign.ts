import { createHash } from "node:crypto";
import type { CampaignKind, Language } from "../shared/vocabulary";
import type { Clock, MailQueue } from "../platform/ports";
import type { CampaignOutbox, PlannedVariant } from "./ports";

/** Recipients per frozen batch: SendBulkEmail's limit. */
export const BATCH_SIZE = 50;

/** Batches frozen, counted and enqueued together: one DynamoDB transaction holds 100 puts. */
export const FREEZE_EVERY = 100;

/** Freezes (each up to a hundred batches, counted and enqueued) in flight at once. */
const MAX_FREEZES_IN_FLIGHT = 2;

export interface PlanDeps {
  outbox: CampaignOutbox;
  sendQueue: MailQueue;
  clock: Clock;
  /** Who holds the planning lease. */
  owner: string;
  /** How long an enqueued batch may wait before the sweeper enqueues it again. */
  staleAfterMs?: number;
}

/** One recipient to plan, with the variant (and so the language) they get. */
export interface PlannedRecipient {
  subscriberId: string;
  variant: string;
}

export interface PlanResult {
  status: "planned" | "busy" | "cancelled";
  /** Recipients added by this run (not counting those planned by an earlier run). */
  planned: number;
  batches: number;
  /** Recipients left out by this run (for example an empty digest). */
  skipped: number;
}

/** A short, stable id for a variant's content: same content, same id, so re-runs reuse it. */
export function variantId(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}

/**
 * Plans a campaign as the outbox's first step. Under a planning lease (one planner per campaign at a
 * time), `build` is told who is already in a batch and answers who else to plan and the compiled
 * variants they need (compiled or recipes, or a function that compiles on demand; those given ready
 * are stored first, the others as their turn comes). The new recipients are frozen into batches of at
 * most 50 sharing one variant, each written once with a conditional put (a hundred to a transaction), and pointers to the batches are enqueued a hundred at a time. Re-running a
 * campaign therefore plans only recipients that no batch holds yet.
 */
export async function planCampaign(
  deps: PlanDeps,
  campaign: { key: string; kind: CampaignKind },
  build: (alreadyPlanned: Set<string>) => Promise<{ recipients: PlannedRecipient[]; variants: Map<string, PlannedVariant | (() => Promise<PlannedVariant>)>; skipped: number }>,
): Promise<PlanResult> {
  const now = deps.clock.now();
  const opened = await deps.outbox.openCampaign(campaign.key, campaign.kind, now);
  if (opened.state === "cancelled") return { status: "cancelled", planned: 0, batches: 0, skipped: 0 };
  if (!(await deps.outbox.takePlanLease(campaign.key, deps.owner, now, now + 15 * 60_000))) return { status: "busy", planned: 0, batches: 0, skipped: 0 };
  // Two freezes may be in flight at once: the next hundred batches are written while the last are
  // counted and enqueued. Each freeze counts its own batches before it enqueues them.
  const inFlight = new Set<Promise<void>>();
  try {
    const { recipients: already, lastBatch } = await deps.outbox.plannedRecipients(campaign.key);
    const { recipients, variants, skipped } = await build(already);

    const byVariant = new Map<string, string[]>();
    for (const r of recipients) {
      if (already.has(r.subscriberId)) continue;
      already.add(r.subscriberId);
      const group = byVariant.get(r.variant);
      if (group) group.push(r.subscriberId);
      else byVariant.set(r.variant, [r.subscriberId]);
    }
    // Variant by variant: compile and store it, and cut its batches. Batches are frozen, counted and
    // enqueued a hundred at a time (one transaction), across variants, so sending starts while later
    // variants are still being compiled and planning costs requests per hundred batches, not per batch.
    let next = lastBatch + 1;
    let planned = 0;
    let batchCount = 0;
    const dueAt = deps.clock.now() + (deps.staleAfterMs ?? 10 * 60_000);
    const groups = [...byVariant];
    const load = async (variant: string) => {
      const source = variants.get(variant);
      return typeof source === "function" ? source() : (source ?? deps.outbox.getVariant(campaign.key, variant));
    };
    let pending: { batch: number; variant: string; language: Language; recipients: string[] }[] = [];
    let failure: unknown;
    const flush = async () => {
      if (!pending.length) return;
      const batches = pending;
      pending = [];
      const freezing = freeze(batches).catch((err: unknown) => void (failure ??= err));
      inFlight.add(freezing);
      void freezing.finally(() => inFlight.delete(freezing));
      while (inFlight.size >= MAX_FREEZES_IN_FLIGHT) await Promise.race(inFlight);
      if (failure) throw failure;
    };
    const freeze = async (batches: typeof pending) => {
      const taken = await deps.outbox.freezeBatches(batches.map((b) => ({ campaign: campaign.key, ...b })), dueAt);
      if (taken.length) throw new Error(`Campaign ${campaign.key}: batches ${taken.join(", ")} already exist; another planner ran without the lease`);
      const recipientCount = batches.reduce((n, b) => n + b.recipients.length, 0);
      // Counted before they are enqueued, so the campaign's batch count is never behind its sends.
      await deps.outbox.addPlanned(campaign.key, recipientCount, batches.length, 0, `${deps.owner}#${batches[0]!.batch}`);
      await deps.sendQueue.enqueueMany(batches.map((b) => ({ kind: "batch" as const, campaign: campaign.key, batch: b.batch })));
      planned += recipientCount;
      batchCount += batches.length;
    };
    // Variants given ready (recipes, small) are stored first, all together, before any batch.
    const ready = groups.flatMap(([variant]): [string, PlannedVariant][] => {
      const source = variants.get(variant);
      return source !== undefined && typeof source !== "function" ? [[variant, source]] : [];
    });
    if (ready.length) await deps.outbox.putVariants(campaign.key, ready);
    // The next variant is compiled while this one's batches are written.
    let upcoming = groups.length ? load(groups[0]![0]) : undefined;
    for (let g = 0; g < groups.length; g++) {
      const [variant, ids] = groups[g]!;
      const compiled = await upcoming;
      upcoming = g + 1 < groups.length ? load(groups[g + 1]![0]) : undefined;
      upcoming?.catch(() => undefined);
      if (!compiled) throw new Error(`Campaign ${campaign.key}: no variant ${variant}`);
      const source = variants.get(variant);
      // Stored before any batch that needs it is enqueued.
      if (typeof source === "function") await deps.outbox.putVariant(campaign.key, variant, compiled);
      for (let i = 0; i < ids.length; i += BATCH_SIZE) pending.push({ batch: next++, variant, language: compiled.language, recipients: ids.slice(i, i + BATCH_SIZE) });
      if (pending.length >= FREEZE_EVERY) await flush();
    }
    await flush();
    await Promise.all(inFlight);
    if (failure) throw failure;
    await deps.outbox.addPlanned(campaign.key, 0, 0, skipped, `${deps.owner}#skipped#${next}`);
    return { status: "planned", planned, batches: batchCount, skipped };
  } finally {
    // A failed step stops planning, but the freezes still in flight finish before the lease is given back.
    await Promise.all(inFlight);
    await deps.outbox.releasePlanLease(campaign.key, deps.owner);
  }
}
