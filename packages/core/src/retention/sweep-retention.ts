import { createHmac } from "node:crypto";
import type { Clock, Ids } from "../platform/ports";
import type { Subscriber, SubscriberProfiles } from "../subscription";
import { RETENTION_CATEGORIES, type RetentionCategory, type RetentionReport, type RetentionStore } from "./ports";

/** How long each kind of data is kept, and how much one sweep does (the settings in docs/retention.md). */
export interface RetentionPeriods {
  unsubscribedDays: number;
  deliveryMonths: number;
  batchDays: number;
  auditMonths: number;
  /** Items read per query. */
  pageSize: number;
  /** Pages per category one run takes at most; the next run continues where this one stopped. */
  maxPages: number;
}

export interface RetentionDeps {
  retention: RetentionStore;
  /** The erasure a subscriber can ask for themselves, reused for unsubscribed people past their period. */
  subscribers: Pick<SubscriberProfiles, "getSubscriber" | "erase">;
  clock: Clock;
  ids: Ids;
  /** The keyed pseudonym that replaces a staff address in old audit entries. */
  pseudonym: (address: string) => string;
  periods: RetentionPeriods;
}

const DAY_MS = 24 * 3600 * 1000;

/** How much one run may do: pages per category, and a deadline (a Lambda stops before its timeout). */
interface Budget {
  maxPages: number;
  outOfTime: () => boolean;
}

/** `nowMs` moved back by whole calendar months (UTC); the day of month is capped at the month's last day. */
export function monthsBefore(nowMs: number, months: number): Date {
  const d = new Date(nowMs);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The cut-off of each category at `nowMs`: what is older goes. */
export function retentionCutoffs(nowMs: number, p: Pick<RetentionPeriods, "unsubscribedDays" | "deliveryMonths" | "batchDays" | "auditMonths">) {
  return {
    unsubscribedBefore: new Date(nowMs - p.unsubscribedDays * DAY_MS).toISOString(),
    deliveriesBeforeDay: monthsBefore(nowMs, p.deliveryMonths).toISOString().slice(0, 10),
    campaignsBefore: new Date(nowMs - p.batchDays * DAY_MS).toISOString(),
    auditBefore: monthsBefore(nowMs, p.auditMonths).toISOString(),
  };
}

/**
 * The keyed pseudonym of a staff address in the audit log: the same address always gives the same
 * pseudonym (so old entries still show one person's actions together), and without the key it
 * cannot be traced back.
 */
export function staffPseudonym(key: string, address: string): string {
  return `staff-${createHmac("sha256", key).update(`audit-actor:${address.trim().toLowerCase()}`).digest("hex").slice(0, 16)}`;
}

/**
 * Pages through one sweep index: `step` handles a page and answers its count and the next page's
 * start. Stops after `maxPages`, or once the deadline has passed; answers whether work was left.
 */
async function paged(budget: Budget, step: (after: string | undefined) => Promise<{ count: number; next?: string | undefined }>): Promise<{ count: number; more: boolean }> {
  let count = 0;
  let after: string | undefined;
  for (let page = 0; page < budget.maxPages && !budget.outOfTime(); page++) {
    const r = await step(after);
    count += r.count;
    if (r.next === undefined) return { count, more: false };
    after = r.next;
  }
  return { count, more: true };
}

/**
 * The daily retention sweep (docs/retention.md): sign-ups never confirmed, people unsubscribed for
 * longer than their period (erased as a data-rights erasure does), delivery history past its months,
 * finished campaigns' batches compacted to counters, and staff addresses in old audit entries
 * pseudonymised. Each category walks its own sweep index by Query, in pages, oldest first; an item
 * leaves its index once handled, so a second run finds nothing, and a run cut short (by `maxPages`
 * or a crash) is finished by the next. Saves and answers the counts per category.
 */
export async function sweepRetention(deps: RetentionDeps, options: { deadlineMs?: number } = {}): Promise<RetentionReport> {
  const now = deps.clock.now();
  const nowIso = new Date(now).toISOString();
  const { pageSize } = deps.periods;
  const budget: Budget = { maxPages: deps.periods.maxPages, outOfTime: () => options.deadlineMs !== undefined && deps.clock.now() >= options.deadlineMs };
  const cut = retentionCutoffs(now, deps.periods);
  const results: Record<RetentionCategory, { count: number; more: boolean }> = {
    pendingSignUps: await paged(budget, async (after) => {
      const page = await deps.retention.expiredSignUps(now, pageSize, after);
      let count = 0;
      for (const entry of page.items) if (await deps.retention.dropExpiredSignUp(entry, now)) count++;
      return { count, next: page.next };
    }),
    unsubscribedErased: await paged(budget, async (after) => {
      const page = await deps.retention.unsubscribedBefore(cut.unsubscribedBefore, pageSize, after);
      let count = 0;
      for (const id of page.items) {
        const s = (await deps.subscribers.getSubscriber(id, now)) as (Subscriber & { unsubscribedAt?: string }) | undefined;
        // Read again: they may have signed up again, or been erased, since the index was read.
        if (s?.status !== "unsubscribed" || !s.unsubscribedAt || s.unsubscribedAt >= cut.unsubscribedBefore) continue;
        await deps.subscribers.erase(id, s, { id: deps.ids.next(), subscriberId: id, at: nowIso, event: "erased" });
        count++;
      }
      return { count, next: page.next };
    }),
    deliveriesDeleted: await paged(budget, async (after) => {
      const page = await deps.retention.deliveryBatchesBefore(cut.deliveriesBeforeDay, pageSize, after);
      let count = 0;
      for (const entry of page.items) count += await deps.retention.dropDeliveries(entry);
      return { count, next: page.next };
    }),
    batchesCompacted: await compactCampaigns(deps, budget, cut.campaignsBefore, nowIso),
    auditPseudonymised: await paged(budget, async () => {
      const r = await deps.retention.pseudonymiseAudit(cut.auditBefore, pageSize, deps.pseudonym);
      return { count: r.pseudonymised, ...(r.more ? { next: "more" } : {}) };
    }),
  };
  const report: RetentionReport = {
    at: nowIso,
    counts: Object.fromEntries(RETENTION_CATEGORIES.map((c) => [c, results[c].count])) as Record<RetentionCategory, number>,
    more: RETENTION_CATEGORIES.filter((c) => results[c].more),
  };
  await deps.retention.saveReport(report);
  return report;
}

/** Compacts finished campaigns older than the cut-off, `maxPages` pages of batches at most in all. */
async function compactCampaigns(deps: RetentionDeps, budget: Budget, beforeIso: string, nowIso: string): Promise<{ count: number; more: boolean }> {
  const { pageSize } = deps.periods;
  let pages = 0;
  let count = 0;
  let after: string | undefined;
  const spent = () => pages >= budget.maxPages || budget.outOfTime();
  do {
    if (spent()) return { count, more: true };
    const page = await deps.retention.campaignsBefore(beforeIso, pageSize, after);
    pages++;
    for (const c of page.items) {
      // A campaign still planning, sending or paused keeps its batches: they may yet be sent.
      if (c.state !== "done" && c.state !== "cancelled") continue;
      for (;;) {
        if (spent()) return { count, more: true };
        const r = await deps.retention.compactBatches(c.key, pageSize, nowIso);
        pages++;
        count += r.compacted;
        if (r.finished || r.waiting) break;
      }
    }
    after = page.next;
  } while (after !== undefined);
  return { count, more: after !== undefined };
}
