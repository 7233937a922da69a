import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchGetAll, batchWrite, chunks, conditional, queryAll } from "../platform/dynamo";
import {
  AUDIT_MONTH_PREFIX,
  AUDIT_MONTHS_PK,
  BATCH_PREFIX,
  BUNDLED_PREFIX,
  OWN_BATCH_PARTITIONS,
  RETAIN_CAMPAIGNS_PK,
  RETENTION_SHARDS,
  UNSUBSCRIBED_PK,
  addressKey,
  auditMonthKey,
  auditPartition,
  campaignBatchKey,
  campaignKey,
  deliveryKey,
  deliverySweepPk,
  pendingSweepPk,
  retentionReportKey,
  subscriberKey,
} from "../platform/table-keys";
import type { BatchCompaction, CampaignEntry, DeliveryEntry, PendingEntry, RetentionReport, RetentionStore, SweepPage } from "./ports";

type Key = Record<string, unknown>;
/** A page cursor: which shard, and where in it (opaque to the use case). */
interface Cursor {
  shard?: number;
  key?: Key;
}
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
const decode = (s: string | undefined): Cursor => (s ? (JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Cursor) : {});

/**
 * The retention sweep's indexes in the single table (table-keys.ts, "Retention"). Every read is a
 * Query on a sweep index, oldest first, or a read by key; nothing scans the table.
 */
export class DynamoRetentionStore implements RetentionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async expiredSignUps(nowMs: number, limit: number, after?: string): Promise<SweepPage<PendingEntry>> {
    const page = await this.shardedPage(pendingSweepPk, new Date(nowMs).toISOString(), limit, after);
    return { items: page.items.map((i) => ({ ref: `${i.PK}|${i.SK}`, subscriberId: String(i.subscriberId), ...(i.addressHmac ? { addressHmac: String(i.addressHmac) } : {}) })), ...(page.next ? { next: page.next } : {}) };
  }

  async dropExpiredSignUp(entry: PendingEntry, nowMs: number): Promise<boolean> {
    const nowS = Math.floor(nowMs / 1000);
    const id = entry.subscriberId;
    const profile = (await this.db.send(new GetCommand({ TableName: this.table, Key: subscriberKey(id), ConsistentRead: true }))).Item;
    const expired = (item: Key | undefined) => item?.status === "pending" && typeof item.expiresAt === "number" && item.expiresAt < nowS;
    let dropped = false;
    if (!profile || expired(profile)) {
      if (profile) {
        dropped = await conditional(
          this.db.send(
            new DeleteCommand({
              TableName: this.table,
              Key: subscriberKey(id),
              ConditionExpression: "#s = :pending AND expiresAt < :now",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: { ":pending": "pending", ":now": nowS },
            }),
          ),
        );
      }
      const addressHmac = (profile?.addressHmac as string | undefined) ?? entry.addressHmac;
      if (addressHmac) {
        // Only this sign-up's expired lookup: the address may belong to a newer sign-up by now.
        await conditional(
          this.db.send(
            new DeleteCommand({
              TableName: this.table,
              Key: addressKey(addressHmac),
              ConditionExpression: "subscriberId = :id AND expiresAt < :now",
              ExpressionAttributeValues: { ":id": id, ":now": nowS },
            }),
          ),
        );
      }
      if (!profile || dropped) {
        // No profile left: what the sign-up wrote into its partition (its consent records) goes too.
        const rest = await queryAll(this.db, { TableName: this.table, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": subscriberKey(id).PK }, ProjectionExpression: "PK, SK", ConsistentRead: true });
        const left = rest.filter((i) => i.SK !== "PROFILE");
        await batchWrite(this.db, this.table, left.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
        dropped ||= left.length > 0;
      }
    }
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: refKey(entry.ref) }));
    return dropped;
  }

  async unsubscribedBefore(beforeIso: string, limit: number, after?: string): Promise<SweepPage<string>> {
    const start = decode(after).key;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk AND GSI1SK < :before",
        ExpressionAttributeValues: { ":pk": UNSUBSCRIBED_PK, ":before": beforeIso },
        ProjectionExpression: "subscriberId",
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return { items: (out.Items ?? []).map((i) => String(i.subscriberId)), ...(out.LastEvaluatedKey ? { next: encode({ key: out.LastEvaluatedKey }) } : {}) };
  }

  async deliveryBatchesBefore(beforeDay: string, limit: number, after?: string): Promise<SweepPage<DeliveryEntry>> {
    const page = await this.shardedPage(deliverySweepPk, beforeDay, limit, after);
    return {
      items: page.items.map((i) => ({ ref: `${i.PK}|${i.SK}`, campaign: String(i.campaign), batch: Number(i.batch), day: String(i.day), subscriberIds: (i.subscriberIds as string[] | undefined) ?? [] })),
      ...(page.next ? { next: page.next } : {}),
    };
  }

  async dropDeliveries(entry: DeliveryEntry): Promise<number> {
    const keys = entry.subscriberIds.map((id) => deliveryKey(id, entry.campaign));
    const found = await this.existing(keys);
    await batchWrite(this.db, this.table, found.map((k) => ({ DeleteRequest: { Key: k } })));
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: refKey(entry.ref) }));
    return found.length;
  }

  async campaignsBefore(beforeIso: string, limit: number, after?: string): Promise<SweepPage<CampaignEntry>> {
    const start = decode(after).key;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk AND GSI1SK < :before",
        ExpressionAttributeValues: { ":pk": RETAIN_CAMPAIGNS_PK, ":before": beforeIso },
        ProjectionExpression: "#k, #st, createdAt",
        ExpressionAttributeNames: { "#k": "key", "#st": "state" },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({ key: String(i.key), state: String(i.state), createdAt: String(i.createdAt) })),
      ...(out.LastEvaluatedKey ? { next: encode({ key: out.LastEvaluatedKey }) } : {}),
    };
  }

  async compactBatches(key: string, limit: number, nowIso: string): Promise<BatchCompaction> {
    const meta = (await this.db.send(new GetCommand({ TableName: this.table, Key: campaignKey(key), ConsistentRead: true }))).Item;
    if (!meta) return { compacted: 0, finished: true };
    // A campaign in the layout where each batch has its own partition is walked by batch number.
    if (meta.batchLayout === OWN_BATCH_PARTITIONS) return this.compactOwnBatches(key, meta, limit, nowIso);
    const through = meta.compactedThrough as string | undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues: { ":pk": campaignKey(key).PK, ":prefix": BATCH_PREFIX },
        ProjectionExpression: "PK, SK, #st, recipients",
        ExpressionAttributeNames: { "#st": "status" },
        Limit: limit,
        ConsistentRead: true,
        ...(through ? { ExclusiveStartKey: { PK: campaignKey(key).PK, SK: through } } : {}),
      }),
    );
    let compacted = 0;
    let last = through;
    let waiting = false;
    for (const item of out.Items ?? []) {
      // A batch not sent yet is left alone, and so is everything after it until a later run.
      if (item.status !== "sent") {
        waiting = true;
        break;
      }
      if (item.recipients !== undefined && (await this.compactOne(item, nowIso))) compacted++;
      last = item.SK as string;
    }
    const finished = !waiting && !out.LastEvaluatedKey;
    if (finished) await this.finishCompaction(key, nowIso);
    else if (last !== through) {
      await this.db.send(new UpdateCommand({ TableName: this.table, Key: campaignKey(key), UpdateExpression: "SET compactedThrough = :last", ExpressionAttributeValues: { ":last": last } }));
    }
    return { compacted, finished, ...(waiting ? { waiting } : {}) };
  }

  /** Removes a sent batch's per-recipient lists, keeping its count; answers whether it did. */
  private compactOne(item: Record<string, unknown>, nowIso: string): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: "SET compactedAt = :at, recipientCount = :n REMOVE recipients, results",
          ConditionExpression: "#st = :sent",
          ExpressionAttributeNames: { "#st": "status" },
          ExpressionAttributeValues: { ":at": nowIso, ":n": (item.recipients as string[]).length, ":sent": "sent" },
        }),
      ),
    );
  }

  /** `compactBatches` for batches in their own partitions, numbered 1…lastBatch: up to `limit` numbers a call, read by key. */
  private async compactOwnBatches(key: string, meta: Record<string, unknown>, limit: number, nowIso: string): Promise<BatchCompaction> {
    const through = typeof meta.compactedThrough === "number" ? meta.compactedThrough : 0;
    const lastBatch = typeof meta.lastBatch === "number" ? meta.lastBatch : 0;
    const upTo = Math.min(lastBatch, through + limit);
    const keys = Array.from({ length: upTo - through }, (_, i) => campaignBatchKey(key, through + i + 1));
    const items = (await batchGetAll(this.db, this.table, keys, { attributes: ["PK", "SK", "batch", "status", "recipients"], consistent: true })).sort((x, y) => Number(x.batch) - Number(y.batch));
    let compacted = 0;
    let last = through;
    let waiting = false;
    for (const item of items) {
      if (item.status !== "sent") {
        waiting = true;
        break;
      }
      if (item.recipients !== undefined && (await this.compactOne(item, nowIso))) compacted++;
      last = Number(item.batch);
    }
    // Numbers never written (a planner that stopped between numbering and freezing) are passed over.
    if (!waiting) last = upTo;
    const finished = !waiting && last >= lastBatch;
    if (finished) await this.finishCompaction(key, nowIso);
    else if (last !== through) {
      await this.db.send(new UpdateCommand({ TableName: this.table, Key: campaignKey(key), UpdateExpression: "SET compactedThrough = :last", ExpressionAttributeValues: { ":last": last } }));
    }
    return { compacted, finished, ...(waiting ? { waiting } : {}) };
  }

  /** Bundled recipients are per-recipient too; then the campaign leaves the sweep index. */
  private async finishCompaction(key: string, nowIso: string): Promise<void> {
    {
      const bundled = await queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues: { ":pk": campaignKey(key).PK, ":prefix": BUNDLED_PREFIX },
        ProjectionExpression: "PK, SK",
      });
      await batchWrite(this.db, this.table, bundled.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
      await this.db.send(
        new UpdateCommand({ TableName: this.table, Key: campaignKey(key), UpdateExpression: "SET compactedAt = :at REMOVE GSI1PK, GSI1SK, compactedThrough", ExpressionAttributeValues: { ":at": nowIso } }),
      );
    }
  }

  async pseudonymiseAudit(beforeIso: string, limit: number, pseudonym: (address: string) => string): Promise<{ pseudonymised: number; more: boolean }> {
    const beforeMonth = beforeIso.slice(0, 7);
    const months = (
      await queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": AUDIT_MONTHS_PK, ":from": AUDIT_MONTH_PREFIX, ":to": `${AUDIT_MONTH_PREFIX}${beforeMonth}` },
        ConsistentRead: true,
      })
    ).filter((m) => m.pseudonymised !== "done");
    const month = months[0];
    if (!month) return { pseudonymised: 0, more: false };
    const name = String(month.month);
    const through = month.pseudonymisedThrough as string | undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK < :before",
        ExpressionAttributeValues: { ":pk": auditPartition(name), ":before": beforeIso },
        Limit: limit,
        ConsistentRead: true,
        ...(through ? { ExclusiveStartKey: { PK: auditPartition(name), SK: through } } : {}),
      }),
    );
    let pseudonymised = 0;
    let last = through;
    for (const item of out.Items ?? []) {
      last = item.SK as string;
      const actor = (item.actor ?? {}) as { email?: unknown };
      if (typeof actor.email !== "string" || item.pseudonymised === true) continue;
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: "SET #a.#e = :p, pseudonymised = :yes",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeNames: { "#a": "actor", "#e": "email" },
          ExpressionAttributeValues: { ":p": pseudonym(actor.email), ":yes": true },
        }),
      );
      pseudonymised++;
    }
    // A whole month before the cut-off is done for good; the cut-off's own month continues from `last` next time.
    const monthDone = !out.LastEvaluatedKey && name < beforeMonth;
    if (monthDone || last !== through) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: auditMonthKey(name),
          UpdateExpression: monthDone ? "SET pseudonymised = :done REMOVE pseudonymisedThrough" : "SET pseudonymisedThrough = :last",
          ExpressionAttributeValues: monthDone ? { ":done": "done" } : { ":last": last },
        }),
      );
    }
    return { pseudonymised, more: !!out.LastEvaluatedKey || (monthDone && months.length > 1) };
  }

  async saveReport(report: RetentionReport): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...retentionReportKey(), type: "retention-report", ...report } }));
  }

  async lastReport(): Promise<RetentionReport | undefined> {
    const item = (await this.db.send(new GetCommand({ TableName: this.table, Key: retentionReportKey() }))).Item;
    return item ? { at: String(item.at), counts: item.counts as RetentionReport["counts"], more: (item.more as RetentionReport["more"]) ?? [] } : undefined;
  }

  /** One page of a sharded sweep index (shard by shard), entries with SK before `before`. */
  private async shardedPage(pkOf: (shard: number) => string, before: string, limit: number, after?: string): Promise<{ items: Key[]; next?: string }> {
    const cursor = decode(after);
    const shard = cursor.shard ?? 0;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK < :before",
        ExpressionAttributeValues: { ":pk": pkOf(shard), ":before": before },
        Limit: limit,
        ConsistentRead: true,
        ...(cursor.key ? { ExclusiveStartKey: cursor.key } : {}),
      }),
    );
    const next = out.LastEvaluatedKey ? encode({ shard, key: out.LastEvaluatedKey }) : shard + 1 < RETENTION_SHARDS ? encode({ shard: shard + 1 }) : undefined;
    return { items: out.Items ?? [], ...(next ? { next } : {}) };
  }

  /** Which of these keys exist, by BatchGetItem (keys only). */
  private async existing(keys: { PK: string; SK: string }[]): Promise<{ PK: string; SK: string }[]> {
    const found: { PK: string; SK: string }[] = [];
    for (const part of chunks(keys, 100)) {
      let request: Record<string, { Keys: Key[]; ProjectionExpression: string; ConsistentRead: boolean }> | undefined = { [this.table]: { Keys: part, ProjectionExpression: "PK, SK", ConsistentRead: true } };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * Math.random())));
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const i of out.Responses?.[this.table] ?? []) found.push({ PK: String(i.PK), SK: String(i.SK) });
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }
}

/** The table key a sweep entry's `ref` stands for. */
function refKey(ref: string): { PK: string; SK: string } {
  const at = ref.indexOf("|");
  return { PK: ref.slice(0, at), SK: ref.slice(at + 1) };
}
