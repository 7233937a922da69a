import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { BatchCounts, BatchOutbox, Campaign, CampaignBatch, CampaignOutbox, CampaignReach, PlannedVariant, VariantPartsStore } from "./ports";
import type { VariantParts, VariantRecipe } from "../emails";
import type { DeliveryRecord } from "../subscription";
import { decodeStoredOutcome, encodeStoredOutcome, type BatchResults, type CampaignRecipient } from "./recipient-outcome";
import type { CampaignKind, Language } from "../shared/vocabulary";
import {
  BUNDLED_PREFIX,
  OUTBOX_PARTITIONS,
  OWN_BATCH_PARTITIONS,
  PARTS_PREFIX,
  bundledRecipientKey,
  campaignKey,
  campaignPartsKey,
  campaignVariantKey,
  campaignRetentionIndexKey,
  deliveryKey,
  deliverySweepKey,
  outboxIndexKey,
} from "../platform/table-keys";
import { batchKeyIn, batchWrite, chunks, conditional, queryAll, readCampaignBatches } from "../platform/dynamo";
import { inParallel } from "../shared/in-parallel";

/** Batches frozen per TransactWriteItems: DynamoDB's limit of actions in one transaction. */
const FREEZE_CHUNK = 100;

/**
 * Parts are stored in chunks of about this much JSON, gzipped: well under DynamoDB's 400 KB item
 * limit even if a chunk does not compress, and few items for a digest's hundreds of blocks.
 */
const PARTS_CHUNK_CHARS = 300_000;

/** How long a delivery record is kept for the subscriber's history: two years. */
const DELIVERY_HISTORY_SECONDS = 2 * 365 * 24 * 3600;

const strip = <T>(item: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, type: _t, GSI1PK: _g, GSI1SK: _h, leaseOwner: _o, leaseUntil: _u, planOwner: _po, planLease: _pl, batchLayout: _bl, lastBatch: _lb, ...rest } = item;
  return rest as T;
};

/** A batch's results in their stored form, and back. */
const encodeResults = (results: BatchResults) => Object.fromEntries(Object.entries(results).map(([id, outcome]) => [id, encodeStoredOutcome(outcome)]));
const decodeResults = (stored: Record<string, string>): BatchResults => Object.fromEntries(Object.entries(stored).map(([id, value]) => [id, decodeStoredOutcome(value)]));

const toBatch = (item: Record<string, unknown>): CampaignBatch => {
  const batch = strip<Omit<CampaignBatch, "results"> & { results?: Record<string, string> }>(item);
  return { ...batch, results: decodeResults(batch.results ?? {}) };
};

/**
 * DynamoDB implementation of the campaign outbox: its planning and sending sides and who campaigns
 * reached, in one class since they share the campaign's header and its transactions. Writes on the
 * send path are per batch: a lease (one conditional update) and a completion (one transaction with
 * the campaign counters). Each batch has a partition key of its own (table-keys.ts,
 * `campaignBatchKey`); a campaign opened before that layout keeps its batches in its own partition,
 * and every method here follows the layout its header names.
 */
export class DynamoOutbox implements CampaignOutbox, BatchOutbox, CampaignReach, VariantPartsStore {
  /** Each campaign's batch layout once read (it never changes): true for partitions of their own. */
  private readonly layouts = new Map<string, boolean>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async openCampaign(key: string, kind: CampaignKind, nowMs: number): Promise<Campaign> {
    const campaign: Campaign = { key, kind, state: "planning", planned: 0, sent: 0, skipped: 0, failed: 0, batches: 0, batchesDone: 0, createdAt: new Date(nowMs).toISOString() };
    await conditional(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...campaignKey(key), ...campaignRetentionIndexKey(campaign.createdAt, key), type: "campaign", batchLayout: OWN_BATCH_PARTITIONS, ...campaign },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      ),
    );
    return (await this.getCampaign(key))!;
  }

  async getCampaign(key: string): Promise<Campaign | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: campaignKey(key), ConsistentRead: true }));
    if (!out.Item) return undefined;
    this.remember(key, out.Item.batchLayout === OWN_BATCH_PARTITIONS);
    return strip<Campaign>(out.Item);
  }

  private remember(key: string, own: boolean): void {
    if (this.layouts.size >= 1_000) this.layouts.clear();
    this.layouts.set(key, own);
  }

  /** Whether a campaign's batches have partitions of their own: true unless its header says otherwise (or is missing). */
  private async ownPartitions(key: string): Promise<boolean> {
    const known = this.layouts.get(key);
    if (known !== undefined) return known;
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: campaignKey(key), ProjectionExpression: "batchLayout", ConsistentRead: true }));
    if (!out.Item) return true;
    const own = out.Item.batchLayout === OWN_BATCH_PARTITIONS;
    this.remember(key, own);
    return own;
  }

  /** The key of a batch in its campaign's layout. */
  private async batchKey(key: string, batch: number): Promise<Record<string, string>> {
    return batchKeyIn(await this.ownPartitions(key), key, batch);
  }

  takePlanLease(key: string, owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "SET planLease = :until, planOwner = :owner",
          ConditionExpression: "attribute_exists(PK) AND (attribute_not_exists(planLease) OR planLease < :now OR planOwner = :owner)",
          ExpressionAttributeValues: { ":until": untilMs, ":owner": owner, ":now": nowMs },
        }),
      ),
    );
  }

  async releasePlanLease(key: string, owner: string): Promise<void> {
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "REMOVE planLease, planOwner",
          ConditionExpression: "planOwner = :owner",
          ExpressionAttributeValues: { ":owner": owner },
        }),
      ),
    );
    await this.finishIfDone(key);
  }

  async plannedRecipients(key: string): Promise<{ recipients: Set<string>; lastBatch: number }> {
    const recipients = new Set<string>();
    const { items, lastBatch } = await readCampaignBatches(this.db, this.table, key, ["batch", "recipients"]);
    for (const item of items) for (const r of item.recipients as string[]) recipients.add(r);
    return { recipients, lastBatch };
  }

  /**
   * Variants are stored gzipped: a 30 KB digest becomes a few KB, so writing and reading it costs a
   * few units, not 30. A recipe (a digest's, assembled from the campaign's parts) is a few hundred bytes.
   */
  async putVariant(key: string, variantId: string, variant: PlannedVariant): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: this.variantItem(key, variantId, variant) }));
  }

  /** Many variants in BatchWriteItems of 25 (a few at a time): a digest's 300 recipes are 12 requests, not 300. */
  async putVariants(key: string, variants: [variantId: string, variant: PlannedVariant][]): Promise<void> {
    const puts = variants.map(([id, variant]) => ({ PutRequest: { Item: this.variantItem(key, id, variant) } }));
    await inParallel(chunks(puts, 25), 4, (part) => batchWrite(this.db, this.table, part));
  }

  private variantItem(key: string, variantId: string, variant: PlannedVariant): Record<string, unknown> {
    const body = gzipSync(JSON.stringify("recipe" in variant ? { recipe: variant.recipe } : { html: variant.html, text: variant.text }));
    return {
      ...campaignVariantKey(key, variantId),
      type: "variant",
      subject: variant.subject,
      language: variant.language,
      ...(variant.replyTo ? { replyTo: variant.replyTo } : {}),
      body,
    };
  }

  async getVariant(key: string, variantId: string): Promise<PlannedVariant | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: campaignVariantKey(key, variantId) }));
    if (!out.Item) return undefined;
    const body = JSON.parse(gunzipSync(out.Item.body as Uint8Array).toString("utf8")) as { html: string; text: string } | { recipe: VariantRecipe };
    return {
      subject: out.Item.subject as string,
      language: out.Item.language as Language,
      ...body,
      ...(typeof out.Item.replyTo === "string" ? { replyTo: out.Item.replyTo } : {}),
    } as PlannedVariant;
  }

  /**
   * Writes a campaign's parts in gzipped chunks (BatchWriteItem), each named by a hash of its
   * content: writing the same parts again overwrites them with themselves, and new parts add chunks.
   */
  async putParts(key: string, parts: VariantParts): Promise<void> {
    const entries = [
      ...Object.entries(parts.skeletons).map(([id, skeleton]) => JSON.stringify(["skeleton", id, skeleton])),
      ...Object.entries(parts.blocks).map(([id, block]) => JSON.stringify(["block", id, block])),
    ];
    const groups: string[][] = [];
    let size = Infinity;
    for (const entry of entries) {
      if (size + entry.length > PARTS_CHUNK_CHARS) {
        groups.push([]);
        size = 0;
      }
      groups.at(-1)!.push(entry);
      size += entry.length;
    }
    const puts = groups.map((group) => {
      const json = `[${group.join(",")}]`;
      const body = gzipSync(json);
      if (body.length > 350_000) throw new Error(`Campaign ${key}: a parts chunk is ${body.length} bytes gzipped, too large for one item`);
      const chunk = createHash("sha256").update(json).digest("base64url").slice(0, 22);
      return { PutRequest: { Item: { ...campaignPartsKey(key, chunk), type: "parts", body } } };
    });
    await batchWrite(this.db, this.table, puts);
  }

  async getParts(key: string): Promise<VariantParts> {
    const parts: VariantParts = { skeletons: {}, blocks: {} };
    for (const item of await this.queryPartition(key, PARTS_PREFIX, ["body"])) {
      const entries = JSON.parse(gunzipSync(item.body as Uint8Array).toString("utf8")) as [string, string, never][];
      for (const [kind, id, value] of entries) (kind === "skeleton" ? parts.skeletons : parts.blocks)[id] = value;
    }
    return parts;
  }

  /**
   * Freezes batches in transactions of up to 100 conditional puts: 2,000 batches are 20 requests, not
   * 2,000. A put never overwrites: a batch already written (leased or sent by now, perhaps) cancels its
   * transaction, and that chunk falls back to one conditional put per batch, so the existing batches
   * are skipped and the rest written.
   */
  async freezeBatches(batches: Omit<CampaignBatch, "status" | "results" | "attempts">[], dueAtMs: number): Promise<number[]> {
    const taken: number[] = [];
    const campaign = batches[0]?.campaign;
    if (campaign === undefined) return taken;
    const own = await this.ownPartitions(campaign);
    // The header learns the highest number before any batch is written, so a reader that walks
    // 1…lastBatch never misses one (a planner stopped in between leaves numbers that stay empty).
    if (own) await this.markLastBatch(campaign, Math.max(...batches.map((b) => b.batch)));
    await inParallel(chunks(batches, FREEZE_CHUNK), 4, async (chunk) => {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: chunk.map((b) => ({ Put: this.frozenBatch(own, b, dueAtMs) })) }));
        return;
      } catch (err) {
        // Which reason (an existing batch, a conflicting write, throttling) does not matter: the
        // per-item puts below are conditional and idempotent, and throw what is not a condition.
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
      await inParallel(chunk, 16, async (b) => {
        if (!(await this.freezeOne(own, b, dueAtMs))) taken.push(b.batch);
      });
    });
    return taken.sort((a, b) => a - b);
  }

  /** Raises the header's `lastBatch` to `batch` (never lowers it); nothing if the header is missing. */
  private async markLastBatch(key: string, batch: number): Promise<void> {
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "SET lastBatch = :n",
          ConditionExpression: "attribute_exists(PK) AND (attribute_not_exists(lastBatch) OR lastBatch < :n)",
          ExpressionAttributeValues: { ":n": batch },
        }),
      ),
    );
  }

  private frozenBatch(own: boolean, batch: Omit<CampaignBatch, "status" | "results" | "attempts">, dueAtMs: number) {
    return {
      TableName: this.table,
      Item: {
        ...batchKeyIn(own, batch.campaign, batch.batch),
        ...outboxIndexKey(dueAtMs, batch.campaign, batch.batch),
        type: "batch",
        ...batch,
        status: "planned",
        results: {},
        attempts: 0,
      },
      ConditionExpression: "attribute_not_exists(PK)",
    };
  }

  /** One conditional put; true if written now or earlier with the same content (a retried write that found itself). */
  private async freezeOne(own: boolean, batch: Omit<CampaignBatch, "status" | "results" | "attempts">, dueAtMs: number): Promise<boolean> {
    if (await conditional(this.db.send(new PutCommand(this.frozenBatch(own, batch, dueAtMs))))) return true;
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: batchKeyIn(own, batch.campaign, batch.batch), ConsistentRead: true }));
    return existing.Item?.variant === batch.variant && JSON.stringify(existing.Item?.recipients) === JSON.stringify(batch.recipients);
  }

  async addPlanned(key: string, recipients: number, batches: number, skipped: number, step: string): Promise<void> {
    // Each planning step is counted once: a retried update whose first answer was lost finds its step recorded.
    const counters = "ADD planned :n, batches :b, batchesLeft :b, skipped :s, planSteps :step";
    const values = { ":n": recipients, ":b": batches, ":s": skipped, ":step": new Set([step]), ":stepValue": step };
    const once = "(attribute_not_exists(planSteps) OR NOT contains(planSteps, :stepValue))";
    const started = await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: `SET #st = :sending ${counters}`,
          ConditionExpression: `#st IN (:planning, :sending, :done) AND ${once}`,
          ExpressionAttributeNames: { "#st": "state" },
          ExpressionAttributeValues: { ...values, ":sending": "sending", ":planning": "planning", ":done": "done" },
        }),
      ),
    );
    // A paused or cancelled campaign keeps its state; only the counters move.
    if (!started) await conditional(this.db.send(new UpdateCommand({ TableName: this.table, Key: campaignKey(key), UpdateExpression: counters, ConditionExpression: once, ExpressionAttributeValues: values })));
    await this.finishIfDone(key);
  }

  async leaseBatch(key: string, batch: number, owner: string, nowMs: number, untilMs: number) {
    const batchKey = await this.batchKey(key, batch);
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: batchKey,
          UpdateExpression: "SET leaseOwner = :owner, leaseUntil = :until, GSI1SK = :due ADD attempts :one",
          ConditionExpression: "#st = :planned AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
          ExpressionAttributeNames: { "#st": "status" },
          ExpressionAttributeValues: { ":owner": owner, ":until": untilMs, ":due": outboxIndexKey(untilMs, key, batch).GSI1SK, ":one": 1, ":planned": "planned", ":now": nowMs },
          ReturnValues: "ALL_NEW",
        }),
      );
      return { leased: toBatch(out.Attributes!) };
    } catch (err) {
      if ((err as { name?: string }).name !== "ConditionalCheckFailedException") throw err;
      const current = await this.db.send(new GetCommand({ TableName: this.table, Key: batchKey, ConsistentRead: true }));
      if (!current.Item) return { status: "missing" as const };
      return { status: current.Item.status === "sent" ? ("sent" as const) : ("leased" as const) };
    }
  }

  async saveProgress(key: string, batch: number, owner: string, results: BatchResults, dueAtMs: number): Promise<void> {
    const batchKey = await this.batchKey(key, batch);
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: batchKey,
          UpdateExpression: "SET results = :r, GSI1SK = :due REMOVE leaseOwner, leaseUntil",
          ConditionExpression: "leaseOwner = :owner",
          ExpressionAttributeValues: { ":r": encodeResults(results), ":due": outboxIndexKey(dueAtMs, key, batch).GSI1SK, ":owner": owner },
        }),
      ),
    );
  }

  async completeBatch(key: string, batch: number, owner: string, results: BatchResults, counts: BatchCounts): Promise<boolean> {
    const batchKey = await this.batchKey(key, batch);
    const write = (last: boolean) =>
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: batchKey,
                UpdateExpression: "SET #st = :sent, results = :r, sentAt = :at REMOVE leaseOwner, leaseUntil, GSI1PK, GSI1SK",
                ConditionExpression: "leaseOwner = :owner AND #st = :planned",
                ExpressionAttributeNames: { "#st": "status" },
                ExpressionAttributeValues: { ":sent": "sent", ":r": encodeResults(results), ":owner": owner, ":planned": "planned", ":at": new Date().toISOString() },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: campaignKey(key),
                UpdateExpression: `ADD sent :s, skipped :k, failed :f, batchesDone :one, batchesLeft :minus${counts.expired ? ", expired :e" : ""}`,
                // Only the last batches go the slower way that may finish the campaign.
                ...(last ? {} : { ConditionExpression: "batchesLeft > :one" }),
                ExpressionAttributeValues: { ":s": counts.sent, ":k": counts.skipped, ":f": counts.failed, ":one": 1, ":minus": -1, ...(counts.expired ? { ":e": counts.expired } : {}) },
              },
            },
          ],
        }),
      );
    try {
      await write(false);
      return true;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      // Which condition failed: the batch's (someone else holds it) or the counter's (a last batch).
      if (err.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed") {
        // Someone else completed it, or this very write did and its answer was lost: either way the
        // campaign may now be finished, and finishing is conditional and idempotent.
        await this.finishIfDone(key);
        return false;
      }
    }
    const completed = await conditional(write(true));
    await this.finishIfDone(key);
    return completed;
  }

  async dueBatches(nowMs: number, limit: number): Promise<{ campaign: string; batch: number }[]> {
    // The earliest due across the index's partitions: each answers its earliest `limit`, merged.
    const parts = await Promise.all(
      OUTBOX_PARTITIONS.map(async (pk) => {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: "GSI1",
            KeyConditionExpression: "GSI1PK = :pk AND GSI1SK < :now",
            ExpressionAttributeValues: { ":pk": pk, ":now": String(nowMs).padStart(15, "0") },
            ProjectionExpression: "campaign, #b, GSI1SK",
            ExpressionAttributeNames: { "#b": "batch" },
            Limit: limit,
          }),
        );
        return out.Items ?? [];
      }),
    );
    return parts
      .flat()
      .sort((a, b) => ((a.GSI1SK as string) < (b.GSI1SK as string) ? -1 : 1))
      .slice(0, limit)
      .map((i) => ({ campaign: i.campaign as string, batch: i.batch as number }));
  }

  async postpone(key: string, batch: number, dueAtMs: number): Promise<void> {
    const batchKey = await this.batchKey(key, batch);
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: batchKey,
          UpdateExpression: "SET GSI1SK = :due",
          ConditionExpression: "#st = :planned",
          ExpressionAttributeNames: { "#st": "status" },
          ExpressionAttributeValues: { ":due": outboxIndexKey(dueAtMs, key, batch).GSI1SK, ":planned": "planned" },
        }),
      ),
    );
  }

  async recordBundled(campaignKeys: string[], subscriberId: string, language: Language): Promise<void> {
    await batchWrite(
      this.db,
      this.table,
      campaignKeys.map((k) => ({ PutRequest: { Item: { ...bundledRecipientKey(k, subscriberId), type: "bundled", subscriberId, language } } })),
    );
  }

  async recordDeliveries(key: string, batch: number, deliveries: { subscriberId: string; record: DeliveryRecord }[]): Promise<void> {
    const puts = deliveries.map(({ subscriberId, record }) => ({
      PutRequest: { Item: { ...deliveryKey(subscriberId, key), type: "delivery", ...record, expiresAt: Math.floor(Date.parse(record.at) / 1000) + DELIVERY_HISTORY_SECONDS } },
    }));
    // The retention sweep's entry for this batch's history: who got it, by the day it went out.
    const day = deliveries[0]?.record.at.slice(0, 10);
    const index = day ? [{ PutRequest: { Item: { ...deliverySweepKey(day, key, batch), type: "delivery-sweep", campaign: key, batch, day, subscriberIds: deliveries.map((d) => d.subscriberId) } } }] : [];
    // A batch's 50 records (and the sweep entry) are BatchWriteItems of 25, sent together: they sit
    // between the send and the completion of every batch, so one after the other they would add a
    // round trip to each.
    await Promise.all(chunks([...puts, ...index], 25).map((part) => batchWrite(this.db, this.table, part)));
  }


  async recipientsOf(campaignKeys: string[]): Promise<CampaignRecipient[]> {
    const out: CampaignRecipient[] = [];
    for (const key of campaignKeys) {
      for (const item of (await readCampaignBatches(this.db, this.table, key, ["recipients", "results", "language"])).items) {
        const results = (item.results ?? {}) as Record<string, string>;
        // Compacted batches (older than the retention period) no longer list their recipients.
        for (const r of (item.recipients as string[] | undefined) ?? []) {
          out.push({ via: "batch", subscriberId: r, language: item.language as Language, outcome: results[r] === undefined ? undefined : decodeStoredOutcome(results[r]) });
        }
      }
      for (const item of await this.queryPartition(key, BUNDLED_PREFIX, ["subscriberId", "language"])) out.push({ via: "bundle", subscriberId: item.subscriberId as string, language: item.language as Language });
    }
    return out;
  }


  /** Marks a campaign done once every batch is done and planning has finished. */
  private async finishIfDone(key: string): Promise<void> {
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "SET #st = :done",
          ConditionExpression: "#st = :sending AND batchesDone = batches AND attribute_not_exists(planLease)",
          ExpressionAttributeNames: { "#st": "state" },
          ExpressionAttributeValues: { ":done": "done", ":sending": "sending" },
        }),
      ),
    );
  }

  private async queryPartition(key: string, prefix: string, attributes: string[]): Promise<Record<string, unknown>[]> {
    // Names go through placeholders: several (batch, language) are reserved words.
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    return queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": campaignKey(key).PK, ":prefix": prefix },
      ProjectionExpression: Object.keys(names).join(", "),
      ExpressionAttributeNames: names,
      ConsistentRead: true,
    });
  }
}
