import { describe, expect, it } from "vitest";
import { consentRecord, type ConsentRecord } from "../../packages/core/src/consent";
import { CURRENT_POLICY_VERSION } from "../../packages/core/src/consent/policies";
import type { Subscriber, SubscriberAudience, SubscriberProfiles, SuppressionList, MailRequestClaims, DeliveryHistory, DeliveryRecord, SignUpRequests } from "../../packages/core/src/subscription";
import type { ConsentLedger } from "../../packages/core/src/consent";

export type SubscriberStore = SubscriberProfiles & SubscriberAudience & SuppressionList & MailRequestClaims & DeliveryHistory & ConsentLedger & SignUpRequests;

/** What the contract needs of an implementation: the store, and a way to put a delivery into someone's history (the outbox does it). */
export interface SubscriberStoreUnderTest {
  store: SubscriberStore;
  recordDelivery(subscriberId: string, record: DeliveryRecord): Promise<void>;
}

const T0 = Date.parse("2026-12-01T09:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
let n = 0;

/**
 * The rules of the subscriber ports that the use cases rely on, run against the in-memory fake
 * (tests/unit) and the DynamoDB adapter (tests/integration), so the fake cannot drift from the adapter.
 */
export function subscriberStoreContract(name: string, make: () => Promise<SubscriberStoreUnderTest>) {
  describe(`${name}: subscriber ports`, () => {
    // Unique ids and addresses, so the adapter can share one table between cases.
    const person = (over: Partial<Subscriber> = {}): Subscriber => {
      const id = `contract-${process.pid}-${++n}`;
      return { id, email: `${id}@example.org`, addressHmac: `hmac-${id}`, status: "pending", policyVersion: CURRENT_POLICY_VERSION, language: "sv", missions: [`m-${id}`], topics: ["news"], cadence: "weekly", tracking: false, createdAt: iso(T0), expiresAt: Math.floor(T0 / 1000) + 3600, ...over };
    };
    const record = (s: Subscriber, event: ConsentRecord["event"], at: number): ConsentRecord =>
      consentRecord({ id: `r-${++n}`, subscriberId: s.id, at: iso(at), event, missions: s.missions, topics: s.topics, cadence: s.cadence, language: s.language, policyVersion: s.policyVersion, source: "api" });
    const ids = async (store: SubscriberStore, mission: string, topic: string, cadence: Subscriber["cadence"]) => (await store.audience(mission, topic, cadence)).map((m) => `${m.subscriberId}:${m.language}`);

    it("creates a pending sign-up once; past its TTL it reads as gone and the address may sign up afresh", async () => {
      const { store } = await make();
      const s = person();
      expect(await store.createPending(s, record(s, "requested", T0))).toBe("created");
      expect(await store.createPending({ ...s, id: `${s.id}-2` }, record(s, "requested", T0))).toBe("exists");
      expect((await store.findByAddress(s.addressHmac, T0))?.id).toBe(s.id);
      const later = T0 + 3601_000;
      expect(await store.getSubscriber(s.id, later)).toBeUndefined();
      expect(await store.findByAddress(s.addressHmac, later)).toBeUndefined();
      expect((await store.getSubscribers([s.id], later)).size).toBe(0);
      const again = { ...s, id: `${s.id}-3`, expiresAt: Math.floor(later / 1000) + 3600 };
      expect(await store.createPending(again, record(again, "requested", later))).toBe("created");
    });

    it("activates once: the TTL goes, memberships appear in the audience with the language, an 'erased' suppression is lifted", async () => {
      const { store } = await make();
      const s = person({ topics: ["news", "seminar"] });
      await store.createPending(s, record(s, "requested", T0));
      await store.suppress(s.addressHmac, "erased", iso(T0 - 1000));
      expect(await store.activate(s, iso(T0), record(s, "confirmed", T0 + 1))).toBe("activated");
      expect(await store.activate(s, iso(T0), record(s, "confirmed", T0 + 2))).toBe("not_pending");
      expect((await store.getSubscriber(s.id, T0 + 365 * 86_400_000))?.status).toBe("active");
      expect(await ids(store, s.missions[0]!, "seminar", "weekly")).toEqual([`${s.id}:sv`]);
      expect(await ids(store, s.missions[0]!, "seminar", "monthly")).toEqual([]);
      expect(await store.isSuppressed(s.addressHmac)).toBe(false);
      expect((await store.ledger(s.id)).map((r) => r.event)).toEqual(["requested", "confirmed"]);
    });

    it("keeps a suppression other than 'erased' through a confirmation, and keeps the first reason", async () => {
      const { store } = await make();
      const s = person();
      await store.createPending(s, record(s, "requested", T0));
      await store.suppress(s.addressHmac, "complaint", iso(T0));
      await store.suppress(s.addressHmac, "hard-bounce", iso(T0 + 1000));
      await store.activate(s, iso(T0), record(s, "confirmed", T0 + 1));
      expect(await store.suppression(s.addressHmac)).toEqual({ reason: "complaint", at: iso(T0) });
      expect([...(await store.suppressedAmong([s.addressHmac, "hmac-nobody"]))]).toEqual([s.addressHmac]);
    });

    it("re-indexes memberships when choices change (cadence and language included), and refuses a change on a stale read", async () => {
      const { store } = await make();
      const s = person({ missions: [`a-${n}`, `b-${n}`] });
      await store.createPending(s, record(s, "requested", T0));
      await store.activate(s, iso(T0), record(s, "confirmed", T0 + 1));
      const before = (await store.getSubscriber(s.id, T0))!;
      const after = { ...before, missions: [s.missions[1]!], topics: ["seminar" as const, "news" as const], cadence: "monthly" as const, language: "en" as const, tracking: true };
      expect(await store.updatePreferences(before, after, record(after, "updated", T0 + 2))).toBe("updated");
      expect(await ids(store, s.missions[0]!, "news", "weekly")).toEqual([]);
      expect(await ids(store, s.missions[1]!, "news", "weekly")).toEqual([]);
      expect(await ids(store, s.missions[1]!, "news", "monthly")).toEqual([`${s.id}:en`]);
      expect(await ids(store, s.missions[1]!, "seminar", "monthly")).toEqual([`${s.id}:en`]);
      expect(await store.getSubscriber(s.id, T0)).toMatchObject({ missions: [s.missions[1]], cadence: "monthly", language: "en", tracking: true, preferencesAt: iso(T0 + 2) });
      expect(await store.updatePreferences(before, { ...after, cadence: "weekly" }, record(after, "updated", T0 + 3))).toBe("not_active");
    });

    it("unsubscribes once: memberships go, a withdrawal is recorded; then no preference change is accepted", async () => {
      const { store } = await make();
      const s = person();
      await store.createPending(s, record(s, "requested", T0));
      await store.activate(s, iso(T0), record(s, "confirmed", T0 + 1));
      const active = (await store.getSubscriber(s.id, T0))!;
      expect(await store.unsubscribe(active, iso(T0 + 2), record(s, "withdrawn", T0 + 2))).toBe(true);
      expect(await store.unsubscribe(active, iso(T0 + 3), record(s, "withdrawn", T0 + 3))).toBe(false);
      expect(await ids(store, s.missions[0]!, "news", "weekly")).toEqual([]);
      expect((await store.getSubscriber(s.id, T0))?.status).toBe("unsubscribed");
      expect((await store.ledger(s.id)).map((r) => r.event)).toEqual(["requested", "confirmed", "withdrawn"]);
      expect(await store.updatePreferences(active, { ...active, cadence: "monthly" }, record(s, "updated", T0 + 4))).toBe("not_active");
    });

    it("erases all but the suppressed HMAC and an anonymous 'erased' record; erasing again is harmless", async () => {
      const { store, recordDelivery } = await make();
      const s = person();
      await store.createPending(s, record(s, "requested", T0));
      await store.activate(s, iso(T0), record(s, "confirmed", T0 + 1));
      await recordDelivery(s.id, { campaign: "digest#weekly#2026-W49", batch: 1, kind: "digest", subject: "Weekly", status: "sent", messageId: "m-1", at: iso(T0 + 2), feedback: {} });
      expect(await store.deliveries(s.id)).toHaveLength(1);
      const current = await store.getSubscriber(s.id, T0);
      const erased = { id: `e-${++n}`, subscriberId: s.id, at: iso(T0 + 3), event: "erased" as const };
      await store.erase(s.id, current, erased);
      await store.erase(s.id, undefined, { ...erased, id: `e-${++n}` });
      expect(await store.getSubscriber(s.id, T0)).toBeUndefined();
      expect(await store.findByAddress(s.addressHmac, T0)).toBeUndefined();
      expect(await store.deliveries(s.id)).toEqual([]);
      expect(await ids(store, s.missions[0]!, "news", "weekly")).toEqual([]);
      expect(await store.ledger(s.id)).toEqual([erased]);
      expect(await store.suppression(s.addressHmac)).toEqual({ reason: "erased", at: iso(T0 + 3) });
    });

    it("claims a mail request once; a released claim can be taken again; nobody's claim is refused", async () => {
      const { store } = await make();
      const s = person();
      await store.createPending(s, record(s, "requested", T0));
      expect(await store.claimMailRequest(s.id, "req-1")).toBe(true);
      expect(await store.claimMailRequest(s.id, "req-1")).toBe(false);
      await store.releaseMailRequest(s.id, "req-1");
      expect(await store.claimMailRequest(s.id, "req-1")).toBe(true);
      expect(await store.claimMailRequest(s.id, "req-2")).toBe(true);
      expect(await store.claimMailRequest("nobody", "req-1")).toBe(false);
    });

    it("keeps a sign-up request by its id until it is deleted or expires, and refuses a second one under the same id", async () => {
      const { store } = await make();
      const id = `signup-${process.pid}-${++n}`;
      const request = { id, at: iso(T0), email: `${id}@example.org`, addressHmac: `hmac-${id}`, language: "en" as const, missions: ["m"], topics: ["news" as const], cadence: "weekly" as const, policyVersion: CURRENT_POLICY_VERSION, cookies: { functional: true, statistics: false }, source: "web" as const, ipHash: "a".repeat(64) };
      const expiresAt = Math.floor(T0 / 1000) + 600;
      await store.putSignUpRequest(request, expiresAt);
      await expect(store.putSignUpRequest(request, expiresAt)).rejects.toThrow();
      expect(await store.signUpRequest(id, T0)).toEqual(request);
      expect(await store.signUpRequest(id, T0 + 601_000)).toBeUndefined();
      await store.deleteSignUpRequest(id);
      expect(await store.signUpRequest(id, T0)).toBeUndefined();
      await store.deleteSignUpRequest(id);
      expect(await store.signUpRequest("never-stored", T0)).toBeUndefined();
    });
  });
}
