import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AlertWindows } from "./ports";
import { ALERTQ_PREFIX, alertQueueKey, alertWindowKey } from "../platform/table-keys";
import { conditional } from "../platform/dynamo";

const DAY_S = 86_400;

/** DynamoDB implementation of per-subscriber alert windows (two small items in the subscriber's partition). */
export class DynamoAlertWindows implements AlertWindows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async open(subscriberId: string, itemRef: string, nowMs: number, windowEndsAt: number): Promise<{ opened: boolean; windowEndsAt: number }> {
    const opened = await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertWindowKey(subscriberId),
          UpdateExpression: "SET windowEndsAt = :end, openedBy = :ref, expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(windowEndsAt) OR windowEndsAt <= :now",
          ExpressionAttributeValues: { ":end": windowEndsAt, ":ref": itemRef, ":now": nowMs, ":exp": Math.ceil(windowEndsAt / 1000) + DAY_S },
        }),
      ),
    );
    if (opened) return { opened: true, windowEndsAt };
    const current = await this.db.send(new GetCommand({ TableName: this.table, Key: alertWindowKey(subscriberId), ConsistentRead: true }));
    const end = (current.Item?.windowEndsAt as number | undefined) ?? windowEndsAt;
    // A replay of the item that opened the window counts as opening it again.
    return { opened: current.Item?.openedBy === itemRef, windowEndsAt: end };
  }

  async collect(subscriberId: string, windowEndsAt: number, itemRef: string): Promise<"first" | "added" | "closed"> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertQueueKey(subscriberId, windowEndsAt),
          UpdateExpression: "ADD #items :ref SET expiresAt = :exp",
          ConditionExpression: "attribute_not_exists(flushed)",
          ExpressionAttributeNames: { "#items": "items" },
          ExpressionAttributeValues: { ":ref": new Set([itemRef]), ":exp": Math.ceil(windowEndsAt / 1000) + 7 * DAY_S },
          ReturnValues: "UPDATED_OLD",
        }),
      );
      const before = out.Attributes?.items as Set<string> | undefined;
      // A replay of the first item must still count as first, so a lost flush job is enqueued again.
      return !before || (before.size === 1 && before.has(itemRef)) ? "first" : "added";
    } catch (err) {
      if ((err as { name?: string }).name === "ConditionalCheckFailedException") return "closed";
      throw err;
    }
  }

  async close(subscriberId: string, windowEndsAt: number): Promise<string[]> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: alertQueueKey(subscriberId, windowEndsAt),
        UpdateExpression: "SET flushed = :yes",
        ExpressionAttributeValues: { ":yes": true },
        ReturnValues: "ALL_NEW",
      }),
    );
    return [...((out.Attributes?.items as Set<string> | undefined) ?? [])].sort();
  }

  async unflushed(subscriberId: string): Promise<{ windowEndsAt: number; items: string[] }[]> {
    const windows: { windowEndsAt: number; items: string[] }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
          FilterExpression: "attribute_not_exists(flushed)",
          ExpressionAttributeValues: { ":pk": alertWindowKey(subscriberId).PK, ":prefix": ALERTQ_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const items = [...((item.items as Set<string> | undefined) ?? [])].sort();
        if (items.length) windows.push({ windowEndsAt: Number(String(item.SK).slice(ALERTQ_PREFIX.length)), items });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return windows;
  }

  async discard(subscriberId: string, windowEndsAt: number, itemRefs: string[]): Promise<void> {
    if (!itemRefs.length) return;
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertQueueKey(subscriberId, windowEndsAt),
          UpdateExpression: "DELETE #items :refs",
          ConditionExpression: "attribute_exists(#items) AND attribute_not_exists(flushed)",
          ExpressionAttributeNames: { "#items": "items" },
          ExpressionAttributeValues: { ":refs": new Set(itemRefs) },
        }),
      ),
    );
  }
}
