import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { COUNTER_SHARDS, SHARDED_COUNTERS, campaignCounterKey } from "./table-keys";

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
