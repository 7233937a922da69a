import type { ConsentLedger, ConsentRecord, ErasedRecord } from "../../packages/core/src/consent";
import type { Mission, MissionDirectory } from "../../packages/core/src/shared/missions";
import type {
  CampaignUnsubscribes,
  DeliveryHistory,
  DeliveryRecord,
  LinkUses,
  MailRequestClaims,
  RateLimiter,
  SignUpRequest,
  SignUpRequests,
  Subscriber,
  SubscriberAudience,
  SubscriberProfiles,
  SubscriberStatus,
  Suppression,
  SuppressionList,
  SuppressionReason,
} from "../../packages/core/src/subscription";
import type { Cadence, Language } from "../../packages/core/src/shared/vocabulary";
import { cadenceOf, hasMixedCadences, normaliseCadences } from "../../packages/core/src/subscription/cadences";

/** A stored profile: the port's subscriber plus what the adapter keeps beside it. */
type Profile = Subscriber & { unsubscribedAt?: string; lastMailRequest?: string };
interface Membership {
  subscriberId: string;
  missionId: string;
  topic: string;
  cadence: Cadence;
  language: Language;
  mixed?: true;
}

const isLive = (item: { expiresAt?: number } | undefined, nowMs: number) => !!item && (item.expiresAt === undefined || item.expiresAt * 1000 > nowMs);
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The subscriber store in memory, on the rules the use cases rely on, as the DynamoDB adapter keeps
 * them: conditional writes answer "exists" / "not_pending" / "not_active"; a pending sign-up past its
 * TTL reads as gone (filtered at read time, as TTL deletion lags); memberships are the fan-out index
 * the audience is read from; suppression keeps its first reason and survives erasure; mail request
 * claims are idempotent; confirming lifts an "erased" suppression only.
 */
export class MemorySubscriberStore
  implements SubscriberProfiles, SubscriberAudience, SuppressionList, MailRequestClaims, DeliveryHistory, ConsentLedger, MissionDirectory, LinkUses, SignUpRequests
{
  readonly profiles = new Map<string, Profile>();
  readonly addresses = new Map<string, { subscriberId: string; expiresAt?: number }>();
  readonly records = new Map<string, (ConsentRecord | ErasedRecord)[]>();
  readonly memberships = new Map<string, Membership>();
  readonly suppressions = new Map<string, Suppression>();
  readonly history = new Map<string, Map<string, DeliveryRecord>>();
  missions: Mission[];
  /** Where missions are read from when staff manage them (the catalogue shares the table in DynamoDB). */
  directory: MissionDirectory | undefined;

  constructor(missions: Mission[] = []) {
    this.missions = missions;
  }

  async listMissions(): Promise<Mission[]> {
    return this.directory ? this.directory.listMissions() : copy(this.missions);
  }

  async findByAddress(addressHmac: string, nowMs: number): Promise<Subscriber | undefined> {
    const address = this.addresses.get(addressHmac);
    return isLive(address, nowMs) ? this.getSubscriber(address!.subscriberId, nowMs) : undefined;
  }

  async getSubscriber(subscriberId: string, nowMs: number): Promise<Subscriber | undefined> {
    const p = this.profiles.get(subscriberId);
    if (!isLive(p, nowMs)) return undefined;
    const { lastMailRequest: _l, ...s } = copy(p!);
    return s;
  }

  async getSubscribers(subscriberIds: string[], nowMs: number): Promise<Map<string, Subscriber>> {
    const out = new Map<string, Subscriber>();
    for (const id of subscriberIds) {
      const s = await this.getSubscriber(id, nowMs);
      if (s) out.set(id, s);
    }
    return out;
  }

  async createPending(subscriber: Subscriber, record: ConsentRecord): Promise<"created" | "exists"> {
    const address = this.addresses.get(subscriber.addressHmac);
    const nowS = Math.floor(Date.parse(record.at) / 1000);
    if (address && !(address.expiresAt !== undefined && address.expiresAt < nowS)) return "exists";
    if (this.profiles.has(subscriber.id)) return "exists";
    this.addresses.set(subscriber.addressHmac, { subscriberId: subscriber.id, ...(subscriber.expiresAt !== undefined ? { expiresAt: subscriber.expiresAt } : {}) });
    this.profiles.set(subscriber.id, copy(subscriber));
    this.append(record);
    return "created";
  }

  /** Sign-up requests waiting for the worker, by id, with their expiry (epoch seconds), as the adapter keeps them. */
  readonly signUpRequests = new Map<string, { request: unknown; expiresAt: number }>();
  async putSignUpRequest(request: SignUpRequest, expiresAt: number): Promise<void> {
    if (this.signUpRequests.has(request.id)) throw new Error("ConditionalCheckFailedException");
    this.signUpRequests.set(request.id, { request: copy(request), expiresAt });
  }
  async signUpRequest(requestId: string, nowMs: number): Promise<unknown> {
    const item = this.signUpRequests.get(requestId);
    return isLive(item, nowMs) ? copy(item!.request) : undefined;
  }
  async deleteSignUpRequest(requestId: string): Promise<void> {
    this.signUpRequests.delete(requestId);
  }
  async refreshPending(subscriber: Subscriber, record: ConsentRecord): Promise<void> {
    const p = this.profiles.get(subscriber.id);
    if (!p || (p.status !== "pending" && p.status !== "unsubscribed")) throw new Error("TransactionCanceledException: ConditionalCheckFailed");
    this.profiles.set(subscriber.id, copy(subscriber));
    this.addresses.set(subscriber.addressHmac, { subscriberId: subscriber.id, ...(subscriber.expiresAt !== undefined ? { expiresAt: subscriber.expiresAt } : {}) });
    this.append(record);
  }

  async activate(subscriber: Subscriber, confirmedAt: string, record: ConsentRecord): Promise<"activated" | "not_pending"> {
    const p = this.profiles.get(subscriber.id);
    if (!p || p.status !== "pending") return "not_pending";
    const { expiresAt: _e, ...rest } = p;
    this.profiles.set(subscriber.id, { ...rest, status: "active", confirmedAt, missions: [...subscriber.missions] });
    const address = this.addresses.get(subscriber.addressHmac);
    if (address) this.addresses.set(subscriber.addressHmac, { subscriberId: address.subscriberId });
    this.append(record);
    for (const m of subscriber.missions) for (const t of subscriber.topics) this.join(subscriber, m, t);
    if (this.suppressions.get(subscriber.addressHmac)?.reason === "erased") this.suppressions.delete(subscriber.addressHmac);
    return "activated";
  }

  async updatePreferences(before: Subscriber, after: Subscriber, record: ConsentRecord): Promise<"updated" | "not_active"> {
    const p = this.profiles.get(after.id);
    if (!p || p.status !== "active" || (p.preferencesAt !== undefined && p.preferencesAt !== before.preferencesAt)) return "not_active";
    const { cadenceByMission: _c, ...kept } = p;
    const overrides = normaliseCadences(after);
    this.profiles.set(after.id, { ...kept, language: after.language, missions: [...after.missions], topics: [...after.topics], cadence: after.cadence, ...(overrides ? { cadenceByMission: overrides } : {}), tracking: after.tracking, preferencesAt: record.at });
    this.append(record);
    for (const m of before.missions) for (const t of before.topics) this.memberships.delete(membershipKey(after.id, m, t));
    for (const m of after.missions) for (const t of after.topics) this.join(after, m, t);
    return "updated";
  }

  async unsubscribe(subscriber: Subscriber, at: string, record: ConsentRecord): Promise<boolean> {
    const p = this.profiles.get(subscriber.id);
    if (!p || (p.status !== "active" && p.status !== "pending")) return false;
    this.profiles.set(subscriber.id, { ...p, status: "unsubscribed", unsubscribedAt: at });
    this.append(record);
    for (const key of [...this.memberships.keys()]) if (key.startsWith(`${subscriber.id}|`)) this.memberships.delete(key);
    return true;
  }

  async erase(subscriberId: string, subscriber: Subscriber | undefined, erasedRecord: ErasedRecord): Promise<void> {
    if (subscriber && this.profiles.has(subscriberId)) {
      this.profiles.delete(subscriberId);
      this.addresses.delete(subscriber.addressHmac);
      if (!this.suppressions.has(subscriber.addressHmac)) this.suppressions.set(subscriber.addressHmac, { reason: "erased", at: erasedRecord.at });
      this.append(erasedRecord);
      for (const key of [...this.memberships.keys()]) if (key.startsWith(`${subscriberId}|`)) this.memberships.delete(key);
    }
    // Everything else in the partition goes; only "erased" records stay.
    this.records.set(subscriberId, (this.records.get(subscriberId) ?? []).filter((r) => r.event === "erased"));
    this.history.delete(subscriberId);
  }

  async audience(missionId: string, topic: string, cadence: Cadence): Promise<{ subscriberId: string; language: Language; mixed?: true }[]> {
    return [...this.memberships.values()]
      .filter((m) => m.missionId === missionId && m.topic === topic && m.cadence === cadence)
      .sort((a, b) => a.subscriberId.localeCompare(b.subscriberId))
      .map((m) => ({ subscriberId: m.subscriberId, language: m.language, ...(m.mixed ? { mixed: m.mixed } : {}) }));
  }

  async isSuppressed(addressHmac: string): Promise<boolean> {
    return this.suppressions.has(addressHmac);
  }
  async suppressedAmong(addressHmacs: string[]): Promise<Set<string>> {
    return new Set(addressHmacs.filter((h) => this.suppressions.has(h)));
  }
  async suppression(addressHmac: string): Promise<Suppression | undefined> {
    const s = this.suppressions.get(addressHmac);
    return s && { ...s };
  }
  async suppress(addressHmac: string, reason: SuppressionReason, at: string): Promise<void> {
    if (!this.suppressions.has(addressHmac)) this.suppressions.set(addressHmac, { reason, at });
  }

  /** Uses of data-rights links by link id; they outlive the subscriber, as the adapter's items do. */
  readonly linkUses = new Map<string, number>();
  async useLink(linkId: string, maxUses: number): Promise<boolean> {
    const used = this.linkUses.get(linkId) ?? 0;
    if (used >= maxUses) return false;
    this.linkUses.set(linkId, used + 1);
    return true;
  }
  async releaseLink(linkId: string): Promise<void> {
    const used = this.linkUses.get(linkId) ?? 0;
    if (used > 0) this.linkUses.set(linkId, used - 1);
  }
  async claimMailRequest(subscriberId: string, requestId: string): Promise<boolean> {
    const p = this.profiles.get(subscriberId);
    if (!p || p.lastMailRequest === requestId) return false;
    p.lastMailRequest = requestId;
    return true;
  }
  async releaseMailRequest(subscriberId: string, requestId: string): Promise<void> {
    const p = this.profiles.get(subscriberId);
    if (p?.lastMailRequest === requestId) delete p.lastMailRequest;
  }

  async ledger(subscriberId: string): Promise<ConsentRecord[]> {
    return copy((this.records.get(subscriberId) ?? []) as ConsentRecord[]);
  }

  async deliveries(subscriberId: string): Promise<DeliveryRecord[]> {
    return copy([...(this.history.get(subscriberId)?.values() ?? [])]);
  }

  /** Written by the outbox fake, as the outbox adapter writes into the subscriber's partition (idempotent puts). */
  recordDelivery(subscriberId: string, record: DeliveryRecord): void {
    const mine = this.history.get(subscriberId) ?? new Map<string, DeliveryRecord>();
    mine.set(record.campaign, copy(record));
    this.history.set(subscriberId, mine);
  }

  /** Test setup: an active subscriber with memberships, as a confirmed sign-up leaves them. */
  seedActive(s: Omit<Subscriber, "status" | "createdAt" | "tracking"> & { status?: SubscriberStatus; createdAt?: string; tracking?: boolean }): Subscriber {
    const subscriber: Subscriber = { status: "active", createdAt: "2026-11-01T00:00:00.000Z", tracking: false, ...s } as Subscriber;
    this.profiles.set(subscriber.id, copy(subscriber));
    this.addresses.set(subscriber.addressHmac, { subscriberId: subscriber.id });
    if (subscriber.status === "active") for (const m of subscriber.missions) for (const t of subscriber.topics) this.join(subscriber, m, t);
    return subscriber;
  }

  private join(s: Subscriber, missionId: string, topic: string): void {
    // As the adapter's fan-out index: the mission's own cadence, and a mark when cadences are mixed.
    this.memberships.set(membershipKey(s.id, missionId, topic), { subscriberId: s.id, missionId, topic, cadence: cadenceOf(s, missionId), language: s.language, ...(hasMixedCadences(s) ? { mixed: true as const } : {}) });
  }

  private append(record: ConsentRecord | ErasedRecord): void {
    const mine = this.records.get(record.subscriberId) ?? [];
    if (mine.some((r) => r.id === record.id)) throw new Error(`Ledger record ${record.id} already exists`);
    mine.push(copy(record));
    mine.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
    this.records.set(record.subscriberId, mine);
  }
}

const membershipKey = (subscriberId: string, missionId: string, topic: string) => `${subscriberId}|${missionId}|${topic}`;

/** Fixed-window counters, as the adapter's conditional ADD keeps them. */
export class MemoryRateLimiter implements RateLimiter {
  readonly hits = new Map<string, number>();
  async hit(scope: "address" | "ip" | "data-rights", subjectHash: string, limit: number, windowSeconds: number, nowMs: number) {
    const nowS = Math.floor(nowMs / 1000);
    const windowStart = nowS - (nowS % windowSeconds);
    const key = `${scope}|${subjectHash}|${windowStart}`;
    const count = this.hits.get(key) ?? 0;
    const allowed = count < limit;
    if (allowed) this.hits.set(key, count + 1);
    return { allowed, retryAfterSeconds: Math.max(1, windowStart + windowSeconds - nowS) };
  }
}

/** Campaign unsubscribe counts, once per event id. */
export class MemoryCampaignUnsubscribes implements CampaignUnsubscribes {
  readonly counted = new Map<string, string | undefined>();
  async countOnce(eventId: string, campaignKey: string | undefined): Promise<boolean> {
    if (this.counted.has(eventId)) return false;
    this.counted.set(eventId, campaignKey);
    return true;
  }
}
