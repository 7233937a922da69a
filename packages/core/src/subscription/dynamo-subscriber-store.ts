import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ConsentLedger, ConsentRecord, ErasedRecord } from "../consent";
import type { Mission, MissionDirectory } from "../shared/missions";
import { cadenceOf, hasMixedCadences, normaliseCadences } from "./cadences";
import type {
  AudienceMember,
  DeliveryHistory,
  DeliveryRecord,
  LinkUses,
  MailRequestClaims,
  MembershipRepair,
  RateLimiter,
  SignUpRequest,
  SignUpRequests,
  Subscriber,
  SubscriberAudience,
  SubscriberDirectory,
  SubscriberProfiles,
  SubscriberStatus,
  Suppression,
  SuppressionList,
  SuppressionReason,
} from "./ports";
import type { Cadence, Language } from "../shared/vocabulary";
import { batchWrite, chunks, conditional, queryAll } from "../platform/dynamo";
import {
  CONSENT_PREFIX,
  DELIVERY_PREFIX,
  MEMBER_PREFIX,
  MISSIONS_PK,
  addressKey,
  consentKey,
  fanoutIndexKey,
  linkUseKey,
  signUpRequestKey,
  membershipKey,
  rateLimitKey,
  softBounceKey,
  subscriberKey,
  suppressionKey,
  SUBSCRIBERS_PK,
  subscriberListIndexKey,
  pendingSweepKey,
  unsubscribedIndexKey,
} from "../platform/table-keys";

const isLive = (item: { expiresAt?: number } | undefined, nowMs: number) =>
  !!item && (item.expiresAt === undefined || item.expiresAt * 1000 > nowMs);


function profileItem(s: Subscriber) {
  const { id, ...rest } = s;
  return { ...subscriberKey(id), type: "subscriber", subscriberId: id, ...rest };
}

function toSubscriber(item: Record<string, unknown>): Subscriber {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, type: _t, subscriberId, lastMailRequest: _l, ...rest } = item;
  return { id: subscriberId as string, ...(rest as Omit<Subscriber, "id">) };
}

function ledgerItem(r: ConsentRecord) {
  return { ...consentKey(r.subscriberId, r.at, r.id), type: "consent", ...r };
}

/**
 * DynamoDB implementation of the subscriber ports and the rate limiter, on the single table. One class
 * serves them all because they share the subscriber's partition and its transactions: an erasure
 * suppresses the address and a confirmation lifts an "erased" suppression in the same writes that
 * change the profile.
 */
export class DynamoSubscriberStore
  implements
    SubscriberProfiles,
    SubscriberAudience,
    SuppressionList,
    MailRequestClaims,
    DeliveryHistory,
    ConsentLedger,
    MissionDirectory,
    SubscriberDirectory,
    MembershipRepair,
    RateLimiter,
    LinkUses,
    SignUpRequests
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listMissions(): Promise<Mission[]> {
    const out = await this.db.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": MISSIONS_PK } }),
    );
    return (out.Items ?? []).map(({ PK: _p, SK: _s, type: _t, ...m }) => m as Mission);
  }

  async findByAddress(addressHmac: string, nowMs: number): Promise<Subscriber | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: addressKey(addressHmac), ConsistentRead: true }));
    if (!isLive(out.Item as { expiresAt?: number }, nowMs)) return undefined;
    return this.getSubscriber(out.Item!.subscriberId as string, nowMs);
  }

  async getSubscriber(subscriberId: string, nowMs: number): Promise<Subscriber | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: subscriberKey(subscriberId), ConsistentRead: true }));
    // TTL deletion lags by up to days: an expired pending item must read as gone.
    return isLive(out.Item as { expiresAt?: number }, nowMs) ? toSubscriber(out.Item!) : undefined;
  }

  async createPending(subscriber: Subscriber, record: ConsentRecord): Promise<"created" | "exists"> {
    const created = await conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...addressKey(subscriber.addressHmac),
                  type: "address",
                  subscriberId: subscriber.id,
                  expiresAt: subscriber.expiresAt,
                },
                ConditionExpression: "attribute_not_exists(PK) OR expiresAt < :now",
                ExpressionAttributeValues: { ":now": Math.floor(Date.parse(record.at) / 1000) },
              },
            },
            { Put: { TableName: this.table, Item: profileItem(subscriber), ConditionExpression: "attribute_not_exists(PK)" } },
            { Put: { TableName: this.table, Item: ledgerItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
            ...this.pendingSweepPut(subscriber),
          ],
        }),
      ),
    );
    return created ? "created" : "exists";
  }

  async putSignUpRequest(request: SignUpRequest, expiresAt: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...signUpRequestKey(request.id), type: "signup-request", request, expiresAt },
        ConditionExpression: "attribute_not_exists(PK)",
      }),
    );
  }

  async signUpRequest(requestId: string, nowMs: number): Promise<unknown> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: signUpRequestKey(requestId), ConsistentRead: true }));
    return isLive(out.Item as { expiresAt?: number } | undefined, nowMs) ? (out.Item!.request ?? null) : undefined;
  }

  async deleteSignUpRequest(requestId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: signUpRequestKey(requestId) }));
  }

  async refreshPending(subscriber: Subscriber, record: ConsentRecord): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: profileItem(subscriber),
              ConditionExpression: "attribute_exists(PK) AND #s IN (:pending, :unsubscribed)",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: { ":pending": "pending", ":unsubscribed": "unsubscribed" },
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: {
                ...addressKey(subscriber.addressHmac),
                type: "address",
                subscriberId: subscriber.id,
                expiresAt: subscriber.expiresAt,
              },
            },
          },
          { Put: { TableName: this.table, Item: ledgerItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
          ...this.pendingSweepPut(subscriber),
        ],
      }),
    );
  }

  async activate(subscriber: Subscriber, confirmedAt: string, record: ConsentRecord): Promise<"activated" | "not_pending"> {
    const memberships = subscriber.missions.flatMap((missionId) => subscriber.topics.map((topic) => this.membershipPut(subscriber, missionId, topic)));
    const activated = await conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            // Joins the export index; the missions are written too, since confirming drops any retired since the sign-up.
            this.statusChange(subscriber.id, "SET #s = :active, confirmedAt = :at, missions = :m, GSI1PK = :listPk, GSI1SK = :listSk REMOVE expiresAt", ["pending"], {
              ":active": "active",
              ":at": confirmedAt,
              ":m": subscriber.missions,
              ":listPk": subscriberListIndexKey(subscriber.id).GSI1PK,
              ":listSk": subscriberListIndexKey(subscriber.id).GSI1SK,
            }),
            { Update: { TableName: this.table, Key: addressKey(subscriber.addressHmac), UpdateExpression: "REMOVE expiresAt" } },
            { Put: { TableName: this.table, Item: ledgerItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
            ...memberships,
          ],
        }),
      ),
    );
    if (activated) {
      // Someone who was erased and signs up again lifts the "erased" suppression by confirming; other reasons stay.
      await conditional(
        this.db.send(
          new DeleteCommand({
            TableName: this.table,
            Key: suppressionKey(subscriber.addressHmac),
            ConditionExpression: "reason = :erased",
            ExpressionAttributeValues: { ":erased": "erased" },
          }),
        ),
      );
      // A confirmed sign-up needs no retention sweep entry; one missed here is dropped by the sweep when due.
      if (subscriber.expiresAt !== undefined) await this.db.send(new DeleteCommand({ TableName: this.table, Key: pendingSweepKey(subscriber.expiresAt, subscriber.id) }));
    }
    return activated ? "activated" : "not_pending";
  }

  async unsubscribe(subscriber: Subscriber, at: string, record: ConsentRecord): Promise<boolean> {
    const memberships = subscriber.missions.flatMap((missionId) =>
      subscriber.topics.map((topic) => ({ Delete: { TableName: this.table, Key: membershipKey(subscriber.id, missionId, topic) } })),
    );
    // A condition that fails means someone else unsubscribed them first: the outcome is the same.
    return conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            // The profile leaves the active list and joins the unsubscribed one, which the retention sweep erases from.
            this.statusChange(subscriber.id, "SET #s = :unsubscribed, unsubscribedAt = :at, GSI1PK = :gpk, GSI1SK = :gsk", ["active", "pending"], {
              ":unsubscribed": "unsubscribed",
              ":at": at,
              ":gpk": unsubscribedIndexKey(at, subscriber.id).GSI1PK,
              ":gsk": unsubscribedIndexKey(at, subscriber.id).GSI1SK,
            }),
            { Put: { TableName: this.table, Item: ledgerItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
            ...memberships,
          ],
        }),
      ),
    );
  }

  async isSuppressed(addressHmac: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: suppressionKey(addressHmac) }));
    return !!out.Item;
  }

  async claimMailRequest(subscriberId: string, requestId: string): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: subscriberKey(subscriberId),
          UpdateExpression: "SET lastMailRequest = :rid",
          ConditionExpression: "attribute_exists(PK) AND (attribute_not_exists(lastMailRequest) OR lastMailRequest <> :rid)",
          ExpressionAttributeValues: { ":rid": requestId },
        }),
      ),
    );
  }

  async releaseMailRequest(subscriberId: string, requestId: string): Promise<void> {
    // A failed condition means the claim is already gone: nothing to give back.
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: subscriberKey(subscriberId),
          UpdateExpression: "REMOVE lastMailRequest",
          ConditionExpression: "lastMailRequest = :rid",
          ExpressionAttributeValues: { ":rid": requestId },
        }),
      ),
    );
  }

  async useLink(linkId: string, maxUses: number, expiresAt: number): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: linkUseKey(linkId),
          UpdateExpression: "ADD uses :one SET expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(uses) OR uses < :max",
          ExpressionAttributeValues: { ":one": 1, ":max": maxUses, ":exp": expiresAt },
        }),
      ),
    );
  }

  async releaseLink(linkId: string): Promise<void> {
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: linkUseKey(linkId),
          UpdateExpression: "ADD uses :minus",
          ConditionExpression: "uses > :zero",
          ExpressionAttributeValues: { ":minus": -1, ":zero": 0 },
        }),
      ),
    );
  }

  async ledger(subscriberId: string): Promise<ConsentRecord[]> {
    const items = await this.partition(subscriberKey(subscriberId).PK, CONSENT_PREFIX);
    return items.map(({ PK: _p, SK: _s, type: _t, ...r }) => r as unknown as ConsentRecord);
  }

  async getSubscribers(subscriberIds: string[], nowMs: number): Promise<Map<string, Subscriber>> {
    const items = await this.batchGet(subscriberIds.map(subscriberKey));
    const out = new Map<string, Subscriber>();
    for (const item of items) if (item.SK === "PROFILE" && isLive(item as { expiresAt?: number }, nowMs)) out.set(item.subscriberId as string, toSubscriber(item));
    return out;
  }

  async suppressedAmong(addressHmacs: string[]): Promise<Set<string>> {
    const items = await this.batchGet(addressHmacs.map(suppressionKey));
    return new Set(items.map((i) => (i.PK as string).slice("SUPP#".length)));
  }

  async audience(missionId: string, topic: string, cadence: Cadence): Promise<AudienceMember[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk",
      ExpressionAttributeValues: { ":pk": fanoutIndexKey(missionId, topic, cadence, "").GSI1PK },
      ProjectionExpression: "subscriberId, #l, mixed",
      ExpressionAttributeNames: { "#l": "language" },
    });
    return items.map((i) => ({ subscriberId: i.subscriberId as string, language: i.language as Language, ...(i.mixed === true ? { mixed: true as const } : {}) }));
  }

  async updatePreferences(before: Subscriber, after: Subscriber, record: ConsentRecord): Promise<"updated" | "not_active"> {
    const pairs = (s: Subscriber) => new Set(s.missions.flatMap((m) => s.topics.map((t) => `${m}\u0000${t}`)));
    const was = pairs(before);
    const now = pairs(after);
    // The fan-out index carries the mission's cadence, the language and whether cadences are mixed: a
    // membership is re-written when any of them changes for it.
    const reindex = before.language !== after.language || hasMixedCadences(before) !== hasMixedCadences(after);
    const split = (p: string) => p.split("\u0000") as [string, string];
    const deletes = [...was].filter((p) => !now.has(p)).map((p) => ({ Delete: { TableName: this.table, Key: membershipKey(after.id, ...split(p)) } }));
    const puts = [...now]
      .filter((p) => reindex || !was.has(p) || cadenceOf(before, split(p)[0]) !== cadenceOf(after, split(p)[0]))
      .map((p) => this.membershipPut(after, ...split(p)));
    const overrides = normaliseCadences(after);
    const updated = await conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: subscriberKey(after.id),
                UpdateExpression: `SET #l = :l, missions = :m, topics = :t, cadence = :c, tracking = :tr, preferencesAt = :at${overrides ? ", cadenceByMission = :cbm" : " REMOVE cadenceByMission"}`,
                // Optimistic: a concurrent change since `before` was read makes this one fail, not interleave.
                ConditionExpression: "#s = :active AND (attribute_not_exists(preferencesAt) OR preferencesAt = :was)",
                ExpressionAttributeNames: { "#s": "status", "#l": "language" },
                ExpressionAttributeValues: {
                  ":l": after.language,
                  ":m": after.missions,
                  ":t": after.topics,
                  ":c": after.cadence,
                  ...(overrides ? { ":cbm": overrides } : {}),
                  ":tr": after.tracking,
                  ":at": record.at,
                  ":active": "active",
                  ":was": before.preferencesAt ?? "",
                },
              },
            },
            { Put: { TableName: this.table, Item: ledgerItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
            ...deletes,
            ...puts,
          ],
        }),
      ),
    );
    return updated ? "updated" : "not_active";
  }

  async deliveries(subscriberId: string): Promise<DeliveryRecord[]> {
    const items = await this.partition(subscriberKey(subscriberId).PK, DELIVERY_PREFIX);
    return items.map(({ PK: _p, SK: _s, type: _t, expiresAt: _e, ...r }) => r as unknown as DeliveryRecord);
  }

  async suppression(addressHmac: string): Promise<Suppression | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: suppressionKey(addressHmac) }));
    return out.Item ? { reason: out.Item.reason as SuppressionReason, at: out.Item.at as string } : undefined;
  }

  async suppress(addressHmac: string, reason: SuppressionReason, at: string): Promise<void> {
    await this.db.send(new UpdateCommand(this.suppressionUpdate(addressHmac, reason, at)));
  }

  async erase(subscriberId: string, subscriber: Subscriber | undefined, erasedRecord: ErasedRecord): Promise<void> {
    if (subscriber) {
      const memberships = subscriber.missions.flatMap((m) => subscriber.topics.map((t) => ({ Delete: { TableName: this.table, Key: membershipKey(subscriberId, m, t) } })));
      // A failed condition means another request erased the profile first; the sweep below finishes either way.
      await conditional(
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: this.table, Key: subscriberKey(subscriberId), ConditionExpression: "attribute_exists(PK)" } },
              { Delete: { TableName: this.table, Key: addressKey(subscriber.addressHmac) } },
              { Delete: { TableName: this.table, Key: softBounceKey(subscriber.addressHmac) } },
              { Update: this.suppressionUpdate(subscriber.addressHmac, "erased", erasedRecord.at) },
              { Put: { TableName: this.table, Item: { ...consentKey(subscriberId, erasedRecord.at, erasedRecord.id), type: "consent", ...erasedRecord } } },
              ...memberships,
            ],
          }),
        ),
      );
    }
    const rest = (await this.partition(subscriberKey(subscriberId).PK)).filter((i) => i.event !== "erased");
    await batchWrite(this.db, this.table, rest.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
  }

  /** The retention sweep's entry for a pending sign-up, keyed by when it expires (none without an expiry). */
  private pendingSweepPut(subscriber: Subscriber) {
    if (subscriber.expiresAt === undefined) return [];
    const item = { ...pendingSweepKey(subscriber.expiresAt, subscriber.id), type: "pending-sweep", subscriberId: subscriber.id, addressHmac: subscriber.addressHmac };
    return [{ Put: { TableName: this.table, Item: item } }];
  }

  /** Puts an address on the suppression list, keeping the first reason and time if it is already there. */
  private suppressionUpdate(addressHmac: string, reason: SuppressionReason, at: string) {
    return {
      TableName: this.table,
      Key: suppressionKey(addressHmac),
      UpdateExpression: "SET #type = :type, reason = if_not_exists(reason, :reason), #at = if_not_exists(#at, :at)",
      ExpressionAttributeNames: { "#type": "type", "#at": "at" },
      ExpressionAttributeValues: { ":type": "suppression", ":reason": reason, ":at": at },
    };
  }

  private membershipPut(subscriber: Subscriber, missionId: string, topic: string) {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...membershipKey(subscriber.id, missionId, topic),
          ...fanoutIndexKey(missionId, topic, cadenceOf(subscriber, missionId), subscriber.id),
          type: "membership",
          subscriberId: subscriber.id,
          language: subscriber.language,
          // Digests de-duplicate items across cadences only for these subscribers (see planDigest).
          ...(hasMixedCadences(subscriber) ? { mixed: true } : {}),
        },
      },
    };
  }

  /** Every item of a partition (optionally with an SK prefix), consistently read. */
  private partition(pk: string, prefix?: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: prefix ? "PK = :pk AND begins_with(SK, :prefix)" : "PK = :pk",
      ExpressionAttributeValues: { ":pk": pk, ...(prefix ? { ":prefix": prefix } : {}) },
      ConsistentRead: true,
    });
  }

  /** A transaction step that updates a profile only while its status is one of `from`. */
  private statusChange(subscriberId: string, update: string, from: SubscriberStatus[], values: Record<string, unknown>) {
    const placeholders = from.map((_, i) => `:from${i}`);
    return {
      Update: {
        TableName: this.table,
        Key: subscriberKey(subscriberId),
        UpdateExpression: update,
        ConditionExpression: `#s IN (${placeholders.join(", ")})`,
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ...values, ...Object.fromEntries(from.map((f, i) => [placeholders[i]!, f])) },
      },
    };
  }

  /** BatchGetItem in chunks of 100 keys, retrying unprocessed keys. */
  private async batchGet(keys: { PK: string; SK: string }[]): Promise<Record<string, unknown>[]> {
    const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
    const found: Record<string, unknown>[] = [];
    for (const part of chunks(unique, 100)) {
      // Consistent: an unsubscribe must hold from the very next send.
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }> | undefined = { [this.table]: { Keys: part, ConsistentRead: true } };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * Math.random())));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(out.Responses?.[this.table] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async importActive(subscriber: Subscriber, record: ConsentRecord): Promise<"created" | "exists"> {
    const memberships = subscriber.missions.flatMap((missionId) => subscriber.topics.map((topic) => this.membershipPut(subscriber, missionId, topic)));
    const created = await conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...addressKey(subscriber.addressHmac), type: "address", subscriberId: subscriber.id },
                // A pending sign-up that has expired counts as unknown, as for a sign-up.
                ConditionExpression: "attribute_not_exists(PK) OR expiresAt < :now",
                ExpressionAttributeValues: { ":now": Math.floor(Date.parse(record.at) / 1000) },
              },
            },
            { Put: { TableName: this.table, Item: { ...profileItem(subscriber), ...subscriberListIndexKey(subscriber.id) }, ConditionExpression: "attribute_not_exists(PK)" } },
            { Put: { TableName: this.table, Item: ledgerItem(record), ConditionExpression: "attribute_not_exists(PK)" } },
            ...memberships,
          ],
        }),
      ),
    );
    return created ? "created" : "exists";
  }

  async discardPending(subscriber: Subscriber, recordId: string, recordAt: string): Promise<void> {
    // Only while it is still the pending sign-up this request wrote; anything since is left alone.
    await conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: addressKey(subscriber.addressHmac),
                ConditionExpression: "subscriberId = :id",
                ExpressionAttributeValues: { ":id": subscriber.id },
              },
            },
            {
              Delete: {
                TableName: this.table,
                Key: subscriberKey(subscriber.id),
                ConditionExpression: "#s = :pending",
                ExpressionAttributeNames: { "#s": "status" },
                ExpressionAttributeValues: { ":pending": "pending" },
              },
            },
            { Delete: { TableName: this.table, Key: consentKey(subscriber.id, recordAt, recordId) } },
          ],
        }),
      ),
    );
  }

  async activeSubscribers(limit: number, nowMs: number, after?: string): Promise<{ subscribers: Subscriber[]; last?: string }> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": SUBSCRIBERS_PK },
        ProjectionExpression: "subscriberId",
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { ...subscriberKey(after), ...subscriberListIndexKey(after) } } : {}),
      }),
    );
    const ids = (page.Items ?? []).map((i) => i.subscriberId as string);
    // The index is eventually consistent: re-read each profile, so someone erased or unsubscribed a moment ago is left out.
    const current = await this.getSubscribers(ids, nowMs);
    const subscribers = ids.map((id) => current.get(id)).filter((s): s is Subscriber => s?.status === "active");
    const lastKey = page.LastEvaluatedKey?.GSI1SK as string | undefined;
    return { subscribers, ...(lastKey ? { last: lastKey.slice("SUB#".length) } : {}) };
  }

  async repairMemberships(s: Subscriber): Promise<"unchanged" | "rewritten" | "changed"> {
    const stored = new Map((await this.partition(subscriberKey(s.id).PK, MEMBER_PREFIX)).map((i) => [i.SK as string, i]));
    const wanted = new Map(s.missions.flatMap((m) => s.topics.map((t) => this.membershipPut(s, m, t).Put.Item)).map((item) => [item.SK, item]));
    const differs = (want: Record<string, unknown>, have: Record<string, unknown> | undefined) =>
      !have || have.GSI1PK !== want.GSI1PK || have.GSI1SK !== want.GSI1SK || have.language !== want.language || (have.mixed === true) !== (want.mixed === true);
    const puts = [...wanted.values()].filter((item) => differs(item, stored.get(item.SK))).map((Item) => ({ Put: { TableName: this.table, Item } }));
    const deletes = [...stored.keys()].filter((sk) => !wanted.has(sk)).map((SK) => ({ Delete: { TableName: this.table, Key: { PK: subscriberKey(s.id).PK, SK } } }));
    const overrides = normaliseCadences(s);
    // DynamoDB answers a map's keys in any order: compare them sorted.
    const canonical = (map: Record<string, string> | undefined) => JSON.stringify(Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b)));
    const profileStale = canonical(s.cadenceByMission) !== canonical(overrides);
    if (!puts.length && !deletes.length && !profileStale) return "unchanged";
    // Each transaction re-checks that the profile is as read: a concurrent change wins, and is left alone.
    const guard = (last: boolean) => ({
      TableName: this.table,
      Key: subscriberKey(s.id),
      ConditionExpression: "#s = :active AND (attribute_not_exists(preferencesAt) OR preferencesAt = :was)",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":active": "active", ":was": s.preferencesAt ?? "", ...(last && overrides ? { ":cbm": overrides } : {}) },
    });
    const writes = [...deletes, ...puts];
    const parts = writes.length ? chunks(writes, 99) : [[]];
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const check = last && profileStale
        ? { Update: { ...guard(true), UpdateExpression: overrides ? "SET cadenceByMission = :cbm" : "REMOVE cadenceByMission" } }
        : { ConditionCheck: guard(false) };
      if (!(await conditional(this.db.send(new TransactWriteCommand({ TransactItems: [check, ...parts[i]!] }))))) return "changed";
    }
    return "rewritten";
  }

  async hit(scope: "address" | "ip" | "data-rights", subjectHash: string, limit: number, windowSeconds: number, nowMs: number) {
    const nowS = Math.floor(nowMs / 1000);
    const windowStart = nowS - (nowS % windowSeconds);
    const retryAfterSeconds = Math.max(1, windowStart + windowSeconds - nowS);
    const allowed = await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: rateLimitKey(scope, subjectHash, windowStart),
          UpdateExpression: "ADD hits :one SET expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(hits) OR hits < :limit",
          ExpressionAttributeValues: { ":one": 1, ":limit": limit, ":exp": windowStart + windowSeconds * 2 },
        }),
      ),
    );
    return { allowed, retryAfterSeconds };
  }
}
