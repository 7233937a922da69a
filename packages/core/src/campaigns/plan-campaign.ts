import { createHash } from "node:crypto";
import type { CampaignKind, Language } from "../shared/vocabulary";
import type { Clock, MailQueue } from "../platform/ports";
import type { CampaignOutbox, StoredVariant } from "./ports";
import { inParallel } from "../shared/in-parallel";

/** Recipients per frozen batch: SendBulkEmail's limit. */
export const BATCH_SIZE = 50;

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
 * variants they need (compiled, or a function that compiles on demand). The new recipients are frozen
 * into batches of at most 50 sharing one variant, each written once with a conditional put, and
 * pointers to the batches are enqueued, variant by variant. Re-running a
 * campaign therefore plans only recipients that no batch holds yet.
 */
export async function planCampaign(
  deps: PlanDeps,
  campaign: { key: string; kind: CampaignKind },
  build: (alreadyPlanned: Set<string>) => Promise<{ recipients: PlannedRecipient[]; variants: Map<string, StoredVariant | (() => Promise<StoredVariant>)>; skipped: number }>,
): Promise<PlanResult> {
  const now = deps.clock.now();
  const opened = await deps.outbox.openCampaign(campaign.key, campaign.kind, now);
  if (opened.state === "cancelled") return { status: "cancelled", planned: 0, batches: 0, skipped: 0 };
  if (!(await deps.outbox.takePlanLease(campaign.key, deps.owner, now, now + 15 * 60_000))) return { status: "busy", planned: 0, batches: 0, skipped: 0 };
  try {
    const { recipients: already, lastBatch } = await deps.outbox.plannedRecipients(campaign.key);
    const { recipients, variants, skipped } = await build(already);

    const byVariant = new Map<string, string[]>();
    for (const r of recipients) {
      if (already.has(r.subscriberId)) continue;
      already.add(r.subscriberId);
      byVariant.set(r.variant, [...(byVariant.get(r.variant) ?? []), r.subscriberId]);
    }
    // Variant by variant: compile, store, freeze its batches and enqueue them, so sending starts while
    // later variants are still being compiled.
    let next = lastBatch + 1;
    let planned = 0;
    let batchCount = 0;
    const dueAt = deps.clock.now() + (deps.staleAfterMs ?? 10 * 60_000);
    const groups = [...byVariant];
    const load = async (variant: string) => {
      const source = variants.get(variant);
      return typeof source === "function" ? source() : (source ?? deps.outbox.getVariant(campaign.key, variant));
    };
    // The next variant is compiled while this one's batches are written.
    let upcoming = groups.length ? load(groups[0]![0]) : undefined;
    for (let g = 0; g < groups.length; g++) {
      const [variant, ids] = groups[g]!;
      const compiled = await upcoming;
      upcoming = g + 1 < groups.length ? load(groups[g + 1]![0]) : undefined;
      upcoming?.catch(() => undefined);
      if (!compiled) throw new Error(`Campaign ${campaign.key}: no variant ${variant}`);
      const source = variants.get(variant);
      if (source) await deps.outbox.putVariant(campaign.key, variant, compiled);
      const batches: { batch: number; variant: string; language: Language; recipients: string[] }[] = [];
      for (let i = 0; i < ids.length; i += BATCH_SIZE) batches.push({ batch: next++, variant, language: compiled.language, recipients: ids.slice(i, i + BATCH_SIZE) });
      await inParallel(batches, 16, async (b) => {
        if (!(await deps.outbox.freezeBatch({ campaign: campaign.key, ...b }, dueAt))) {
          throw new Error(`Campaign ${campaign.key}: batch ${b.batch} already exists; another planner ran without the lease`);
        }
      });
      // Counted before they are enqueued, so the campaign's batch count is never behind its sends.
      await deps.outbox.addPlanned(campaign.key, ids.length, batches.length, 0, `${deps.owner}#${batches[0]?.batch ?? 0}`);
      await deps.sendQueue.enqueueMany(batches.map((b) => ({ kind: "batch" as const, campaign: campaign.key, batch: b.batch })));
      planned += ids.length;
      batchCount += batches.length;
    }
    await deps.outbox.addPlanned(campaign.key, 0, 0, skipped, `${deps.owner}#skipped#${next}`);
    return { status: "planned", planned, batches: batchCount, skipped };
  } finally {
    await deps.outbox.releasePlanLease(campaign.key, deps.owner);
  }
}
