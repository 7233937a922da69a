import type { AuditEntry } from "../../packages/core/src/audit";
import type { BatchCompaction, CampaignEntry, DeliveryEntry, PendingEntry, RetentionReport, RetentionStore, SweepPage } from "../../packages/core/src/retention";
import type { MemoryOutbox } from "./campaigns";
import type { MemorySubscriberStore } from "./subscription";

/** One page of `items` (sorted by `key`) after the cursor `after`; `next` while more are left. */
function page<T>(items: T[], key: (item: T) => string, limit: number, after?: string): SweepPage<T> {
  const sorted = items.map((item) => ({ item, k: key(item) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((e) => e.k > after);
  const taken = rest.slice(0, limit);
  return { items: taken.map((e) => e.item), ...(rest.length > limit ? { next: taken.at(-1)!.k } : {}) };
}

/**
 * The retention sweep's indexes in memory, read off the other fakes' state as the DynamoDB adapter
 * reads its sweep indexes: pending sign-ups by expiry, unsubscribed profiles by the time of the last
 * unsubscribe, delivery history by the day each batch went out, campaigns by creation until their
 * batches are compacted, audit entries by time. Handled items leave their index, as in the table.
 */
export class MemoryRetention implements RetentionStore {
  /** Campaigns whose batches are compacted (the adapter removes them from the sweep index). */
  readonly compactedCampaigns = new Set<string>();
  report: RetentionReport | undefined;

  constructor(
    private readonly store: MemorySubscriberStore,
    private readonly outbox: MemoryOutbox,
    private readonly audit: { entries: AuditEntry[] },
  ) {}

  async expiredSignUps(nowMs: number, limit: number, after?: string): Promise<SweepPage<PendingEntry>> {
    const expired = [...this.store.profiles.values()].filter((p) => p.status === "pending" && p.expiresAt !== undefined && p.expiresAt * 1000 < nowMs);
    const p = page(expired, (s) => `${String(s.expiresAt).padStart(12, "0")}#${s.id}`, limit, after);
    return { items: p.items.map((s) => ({ ref: s.id, subscriberId: s.id, addressHmac: s.addressHmac })), ...(p.next ? { next: p.next } : {}) };
  }

  async dropExpiredSignUp(entry: PendingEntry, nowMs: number): Promise<boolean> {
    const p = this.store.profiles.get(entry.subscriberId);
    if (!p || p.status !== "pending" || p.expiresAt === undefined || p.expiresAt * 1000 >= nowMs) return false;
    this.store.profiles.delete(p.id);
    const address = this.store.addresses.get(p.addressHmac);
    if (address?.subscriberId === p.id && address.expiresAt !== undefined && address.expiresAt * 1000 < nowMs) this.store.addresses.delete(p.addressHmac);
    this.store.records.delete(p.id);
    this.store.history.delete(p.id);
    return true;
  }

  async unsubscribedBefore(beforeIso: string, limit: number, after?: string): Promise<SweepPage<string>> {
    const gone = [...this.store.profiles.values()].filter((p) => p.status === "unsubscribed" && p.unsubscribedAt !== undefined && p.unsubscribedAt < beforeIso);
    const p = page(gone, (s) => `${s.unsubscribedAt}#${s.id}`, limit, after);
    return { items: p.items.map((s) => s.id), ...(p.next ? { next: p.next } : {}) };
  }

  async deliveryBatchesBefore(beforeDay: string, limit: number, after?: string): Promise<SweepPage<DeliveryEntry>> {
    const entries = new Map<string, DeliveryEntry>();
    for (const [subscriberId, records] of this.store.history) {
      for (const r of records.values()) {
        const day = r.at.slice(0, 10);
        if (day >= beforeDay) continue;
        const ref = `${day}#${r.campaign}#${String(r.batch).padStart(6, "0")}`;
        const e = entries.get(ref) ?? { ref, campaign: r.campaign, batch: r.batch, day, subscriberIds: [] };
        e.subscriberIds.push(subscriberId);
        entries.set(ref, e);
      }
    }
    return page([...entries.values()], (e) => e.ref, limit, after);
  }

  async dropDeliveries(entry: DeliveryEntry): Promise<number> {
    let n = 0;
    for (const id of entry.subscriberIds) if (this.store.history.get(id)?.delete(entry.campaign)) n++;
    return n;
  }

  async campaignsBefore(beforeIso: string, limit: number, after?: string): Promise<SweepPage<CampaignEntry>> {
    const old = [...this.outbox.campaigns.values()].filter((c) => c.createdAt < beforeIso && !this.compactedCampaigns.has(c.key));
    const p = page(old, (c) => `${c.createdAt}#${c.key}`, limit, after);
    return { items: p.items.map((c) => ({ key: c.key, state: c.state, createdAt: c.createdAt })), ...(p.next ? { next: p.next } : {}) };
  }

  async compactBatches(key: string, limit: number, nowIso: string): Promise<BatchCompaction> {
    const batches = [...(this.outbox.batches.get(key)?.values() ?? [])].sort((a, b) => a.batch - b.batch);
    const todo = batches.filter((b) => !(b as { compactedAt?: string }).compactedAt);
    let compacted = 0;
    for (const b of todo.slice(0, limit)) {
      if (b.status !== "sent") return { compacted, finished: false, waiting: true };
      Object.assign(b, { recipients: [], results: {}, compactedAt: nowIso });
      compacted++;
    }
    if (todo.length > limit) return { compacted, finished: false };
    this.outbox.bundled.delete(key);
    this.compactedCampaigns.add(key);
    return { compacted, finished: true };
  }

  async pseudonymiseAudit(beforeIso: string, limit: number, pseudonym: (address: string) => string): Promise<{ pseudonymised: number; more: boolean }> {
    const todo = this.audit.entries.filter((e) => e.at < beforeIso && e.actor.email !== undefined && !(e as { pseudonymised?: true }).pseudonymised).sort((a, b) => a.at.localeCompare(b.at));
    for (const e of todo.slice(0, limit)) Object.assign(e, { actor: { ...e.actor, email: pseudonym(e.actor.email!) }, pseudonymised: true });
    return { pseudonymised: Math.min(limit, todo.length), more: todo.length > limit };
  }

  async saveReport(report: RetentionReport): Promise<void> {
    this.report = structuredClone(report);
  }

  async lastReport(): Promise<RetentionReport | undefined> {
    return this.report && structuredClone(this.report);
  }
}
