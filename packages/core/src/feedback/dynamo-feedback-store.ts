import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { encodeStoredOutcome, storedOutcomePrefix } from "../campaigns";
import type { CampaignUnsubscribes } from "../subscription";
import type { FeedbackCounter, FeedbackStore } from "./ports";
import { SHARDED_COUNTERS, campaignCounterKey, campaignKey, counterShardOf, deliveryKey, feedbackEventKey, softBounceKey } from "../platform/table-keys";
import { batchKeyIn, campaignBatchLayout, conditional } from "../platform/dynamo";

/** How long an event id is remembered: longer than EventBridge and Lambda keep retrying (24 h). */
const EVENT_MEMORY_SECONDS = 14 * 24 * 3600;

/** DynamoDB implementation of what SES feedback changes, on the single table. */
export class DynamoFeedbackStore implements FeedbackStore, CampaignUnsubscribes {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async countOnce(eventId: string, campaign: string | undefined, counter: FeedbackCounter, nowMs: number): Promise<boolean> {
    const remember = {
      Put: {
        TableName: this.table,
        Item: { ...feedbackEventKey(eventId), type: "feedback-event", counter, expiresAt: Math.floor(nowMs / 1000) + EVENT_MEMORY_SECONDS },
        ConditionExpression: "attribute_not_exists(PK)",
      },
    };
    // A counter with one event per recipient goes to a shard of its own partition key (summed on
    // read), so a campaign's Delivery events at the SES rate do not all write its header; the header
    // keeps the rare counters, and counts there only while the campaign exists.
    const sharded = (SHARDED_COUNTERS as readonly string[]).includes(counter);
    const count = !campaign
      ? []
      : sharded
        ? [
            {
              Update: {
                TableName: this.table,
                Key: campaignCounterKey(campaign, counterShardOf(eventId)),
                UpdateExpression: "ADD #c :one SET #t = :type, campaign = :campaign",
                ExpressionAttributeNames: { "#c": counter, "#t": "type" },
                ExpressionAttributeValues: { ":one": 1, ":type": "campaign-counters", ":campaign": campaign },
              },
            },
          ]
        : [
            {
              Update: {
                TableName: this.table,
                Key: campaignKey(campaign),
                UpdateExpression: "ADD #c :one",
                ConditionExpression: "attribute_exists(PK)",
                ExpressionAttributeNames: { "#c": counter },
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
          ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [remember, ...count] }));
      return true;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [seen, missing] = (err.CancellationReasons ?? []).map((r) => r.Code === "ConditionalCheckFailed");
      if (seen) return false;
      // A campaign we no longer hold: remember the event, count nothing.
      if (missing) return conditional(this.db.send(new TransactWriteCommand({ TransactItems: [remember] })));
      throw err;
    }
  }

  async softBounce(addressHmac: string, eventId: string, atMs: number, windowMs: number): Promise<number> {
    const key = softBounceKey(addressHmac);
    // A map of event id → time: the same event again keeps its first time and adds nothing.
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: "SET bounces = if_not_exists(bounces, :empty), #type = :type",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: { ":empty": {}, ":type": "soft-bounces" },
      }),
    );
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: "SET bounces.#id = if_not_exists(bounces.#id, :at), expiresAt = :exp",
        ExpressionAttributeNames: { "#id": eventId },
        ExpressionAttributeValues: { ":at": atMs, ":exp": Math.floor((atMs + windowMs) / 1000) },
        ReturnValues: "ALL_NEW",
      }),
    );
    const bounces = (out.Attributes?.bounces ?? {}) as Record<string, number>;
    const old = Object.keys(bounces).filter((id) => bounces[id]! < atMs - windowMs);
    if (old.length) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `REMOVE ${old.map((_, i) => `bounces.#o${i}`).join(", ")}`,
          ExpressionAttributeNames: Object.fromEntries(old.map((id, i) => [`#o${i}`, id])),
        }),
      );
    }
    return Object.keys(bounces).length - old.length;
  }

  async markEntryFailed(campaign: string, batch: number, subscriberId: string, reason: string): Promise<boolean> {
    // Rendering failures are rare: the batch's key is found from the campaign's layout each time.
    const layout = await campaignBatchLayout(this.db, this.table, campaign);
    if (!layout) return false;
    return conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: batchKeyIn(layout.own, campaign, batch),
                UpdateExpression: "SET results.#r = :failed",
                ConditionExpression: "begins_with(results.#r, :sent)",
                ExpressionAttributeNames: { "#r": subscriberId },
                ExpressionAttributeValues: { ":failed": encodeStoredOutcome({ kind: "failed", reason }), ":sent": storedOutcomePrefix("sent") },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: campaignKey(campaign),
                UpdateExpression: "ADD sent :minus, failed :one",
                ExpressionAttributeValues: { ":minus": -1, ":one": 1 },
              },
            },
          ],
        }),
      ),
    );
  }

  async noteDelivery(subscriberId: string, campaign: string, event: string, at: string): Promise<void> {
    // Absent when the person was erased meanwhile (or the record was never written): nothing to note.
    // A redelivered event keeps the first time, so the note needs no memory of event ids.
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: deliveryKey(subscriberId, campaign),
          UpdateExpression: "SET feedback.#e = if_not_exists(feedback.#e, :at)",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeNames: { "#e": event },
          ExpressionAttributeValues: { ":at": at },
        }),
      ),
    );
  }
}
