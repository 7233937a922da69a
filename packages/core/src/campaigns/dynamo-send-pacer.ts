import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SendPacer } from "./ports";
import { sendPacingKey } from "../platform/table-keys";

const conditionFailed = (err: unknown) => (err as { name?: string })?.name === "ConditionalCheckFailedException";

/**
 * The account-wide send rate as one DynamoDB item shared by every sender, so the limit holds however
 * many consumers run. It keeps a "theoretical arrival time" (GCRA): a reservation of n recipients
 * starts at max(tat, now) and moves tat on by n / rate. Recipients are counted, not calls, so a
 * 50-recipient bulk call reserves 50 slots.
 *
 * A reservation is one atomic UpdateItem, not a read and a conditional write: while the bucket is
 * busy, `SET tat = tat + cost` books the next slot and returns it; when it is idle, a second update
 * starts it at now. DynamoDB serialises updates to the item, so concurrent senders never get the
 * same slot and never retry against each other.
 */
export class DynamoSendPacer implements SendPacer {
  /** Whether the bucket was idle last time: at high rates it mostly is, so that update is tried first. */
  private idleLastTime = false;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ratePerSecond: number,
  ) {}

  async reserve(recipients: number, nowMs: number, maxWaitMs: number): Promise<{ startAt: number } | { retryAfterMs: number }> {
    const cost = (recipients * 1000) / this.ratePerSecond;
    const busy = async () => {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sendPacingKey(),
          UpdateExpression: "SET tat = tat + :cost",
          ConditionExpression: "tat >= :now AND tat <= :latest",
          ExpressionAttributeValues: { ":cost": cost, ":now": nowMs, ":latest": nowMs + maxWaitMs },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return (out.Attributes!.tat as number) - cost;
    };
    const idle = async () => {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sendPacingKey(),
          UpdateExpression: "SET tat = :next, #t = :type",
          ConditionExpression: "attribute_not_exists(tat) OR tat < :now",
          ExpressionAttributeNames: { "#t": "type" },
          ExpressionAttributeValues: { ":next": nowMs + cost, ":now": nowMs, ":type": "pacing" },
        }),
      );
      return nowMs;
    };
    for (let attempt = 0; attempt < 10; attempt++) {
      // Busy bucket: book the slot after the last one, unless that is too far away. Idle bucket (or
      // none yet): start now. Whichever was true last time is tried first.
      for (const [isIdle, update] of (this.idleLastTime ? [[true, idle], [false, busy]] : [[false, busy], [true, idle]]) as [boolean, () => Promise<number>][]) {
        try {
          const startAt = await update();
          this.idleLastTime = isIdle;
          return { startAt };
        } catch (err) {
          if (!conditionFailed(err)) throw err;
        }
      }
      // Neither: the bucket is booked beyond the longest wait, or another sender moved it between the two.
      const current = await this.db.send(new GetCommand({ TableName: this.table, Key: sendPacingKey(), ConsistentRead: true }));
      const tat = (current.Item?.tat as number | undefined) ?? nowMs;
      if (tat > nowMs + maxWaitMs) return { retryAfterMs: tat - nowMs - maxWaitMs / 2 };
    }
    throw new Error("Send pacer: too many concurrent reservations");
  }
}
