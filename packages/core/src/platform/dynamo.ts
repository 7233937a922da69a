import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { BATCH_PREFIX, COUNTER_SHARDS, OWN_BATCH_PARTITIONS, SHARDED_COUNTERS, campaignBatchKey, campaignCounterKey, campaignKey, legacyCampaignBatchKey } from "./table-keys";

/** A document client for the table, pointed at a local endpoint when one is configured. */
export function documentClient(options: { region: string; endpoint?: string }): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
    maxAttempts: 5,
    // A request that hangs (a dropped connection nobody closed) fails and is retried, instead of
    // holding the function until its own timeout.
    requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function conditionFailed(err: unknown): boolean {
  return err instanceof TransactionCanceledException || (err as { name?: string })?.name === "ConditionalCheckFailedException";
}

/** Runs a conditional write: false when its condition failed, any other error thrown. */
export async function conditional(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** BatchWriteItem in chunks of 25, retrying unprocessed items with jittered backoff until all are written. */
export async function batchWrite(db: DynamoDBDocumentClient, table: string, requests: ({ PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } })[]): Promise<void> {
  for (const part of chunks(requests, 25)) {
    let request: Record<string, unknown[]> | undefined = { [table]: part };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * Math.random())));
      const out = await db.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = out.UnprocessedItems as typeof request;
    }
  }
}

/** Every item a query matches, following `LastEvaluatedKey` through all pages. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A campaign's sharded feedback counters (table-keys.ts, COUNTER_SHARDS), summed: one BatchGetItem. */
export async function sumCounterShards(db: DynamoDBDocumentClient, table: string, campaign: string): Promise<Partial<Record<(typeof SHARDED_COUNTERS)[number], number>>> {
  const sums: Partial<Record<(typeof SHARDED_COUNTERS)[number], number>> = {};
  let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [table]: { Keys: Array.from({ length: COUNTER_SHARDS }, (_, i) => campaignCounterKey(campaign, i)) } };
  for (let attempt = 0; request && Object.keys(request).length; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * Math.random())));
    const out = await db.send(new BatchGetCommand({ RequestItems: request as never }));
    for (const item of out.Responses?.[table] ?? []) {
      for (const c of SHARDED_COUNTERS) if (typeof item[c] === "number") sums[c] = (sums[c] ?? 0) + (item[c] as number);
    }
    request = out.UnprocessedKeys as typeof request;
  }
  return sums;
}

/** Every item of `keys` that exists (BatchGetItem, 100 keys a request, a few in flight, unprocessed keys retried). */
export async function batchGetAll(db: DynamoDBDocumentClient, table: string, keys: Record<string, unknown>[], options: { attributes?: string[]; consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const names = options.attributes ? Object.fromEntries(options.attributes.map((a, i) => [`#a${i}`, a])) : undefined;
  const items: Record<string, unknown>[] = [];
  const parts = chunks(keys, 100);
  let next = 0;
  const worker = async () => {
    while (next < parts.length) {
      const part = parts[next++]!;
      let request: Record<string, unknown> | undefined = {
        [table]: { Keys: part, ...(names ? { ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names } : {}), ...(options.consistent ? { ConsistentRead: true } : {}) },
      };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt * Math.random())));
        const out = await db.send(new BatchGetCommand({ RequestItems: request as never }));
        items.push(...(out.Responses?.[table] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, parts.length) }, worker));
  return items;
}

/**
 * Where a campaign keeps its batches (table-keys.ts, `campaignBatchKey`): `own` partitions numbered
 * 1…`lastBatch`, or, for a campaign opened before that layout, the campaign's own partition. Absent
 * when the campaign has no header.
 */
export async function campaignBatchLayout(db: DynamoDBDocumentClient, table: string, campaign: string): Promise<{ own: boolean; lastBatch: number } | undefined> {
  const out = await db.send(new GetCommand({ TableName: table, Key: campaignKey(campaign), ProjectionExpression: "batchLayout, lastBatch", ConsistentRead: true }));
  if (!out.Item) return undefined;
  return { own: out.Item.batchLayout === OWN_BATCH_PARTITIONS, lastBatch: typeof out.Item.lastBatch === "number" ? out.Item.lastBatch : 0 };
}

/** The key of one of a campaign's batches in the campaign's layout. */
export const batchKeyIn = (own: boolean, campaign: string, batch: number) => (own ? campaignBatchKey(campaign, batch) : legacyCampaignBatchKey(campaign, batch));

/**
 * Every batch item of a campaign, with `attributes` (strongly consistent): batches 1…lastBatch by
 * number, or a Query of the campaign's partition for a campaign in the old layout. Numbers that were
 * never written (a planner that stopped between numbering and freezing) are simply absent.
 */
export async function readCampaignBatches(db: DynamoDBDocumentClient, table: string, campaign: string, attributes: string[]): Promise<{ items: Record<string, unknown>[]; lastBatch: number }> {
  const layout = await campaignBatchLayout(db, table, campaign);
  if (!layout) return { items: [], lastBatch: 0 };
  if (layout.own) {
    const keys = Array.from({ length: layout.lastBatch }, (_, i) => campaignBatchKey(campaign, i + 1));
    return { items: await batchGetAll(db, table, keys, { attributes, consistent: true }), lastBatch: layout.lastBatch };
  }
  const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
  const items = await queryAll(db, {
    TableName: table,
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
    ExpressionAttributeValues: { ":pk": campaignKey(campaign).PK, ":prefix": BATCH_PREFIX },
    ProjectionExpression: Object.keys(names).join(", "),
    ExpressionAttributeNames: names,
    ConsistentRead: true,
  });
  return { items, lastBatch: items.reduce((n, i) => Math.max(n, typeof i.batch === "number" ? i.batch : 0), 0) };
}
