import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SendPacer } from "../ports";
import { sendPacingKey } from "../table/keys";
import { conditional } from "./dynamo";

/**
 * The account-wide send rate as one DynamoDB item shared by every sender, so the limit holds however
 * many consumers run. It keeps a "theoretical arrival time" (GCRA): a reservation of n recipients
 * starts at max(tat, now) and moves tat on by n / rate. Writes are optimistic (conditional on the tat
 * read), so concurrent senders never reserve the same slot. Recipients are counted, not calls, so a
 * 50-recipient bulk call reserves 50 slots.
 */
export class DynamoSendPacer implements SendPacer {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ratePerSecond: number,
  ) {}

  async reserve(recipients: number, nowMs: number, maxWaitMs: number): Promise<{ startAt: number } | { retryAfterMs: number }> {
    const cost = (recipients * 1000) / this.ratePerSecond;
    const began = Date.now();
    for (let attempt = 0; ; attempt++) {
      const now = nowMs + (attempt === 0 ? 0 : Date.now() - began);
      const out = await this.db.send(new GetCommand({ TableName: this.table, Key: sendPacingKey(), ConsistentRead: true }));
      const tat = out.Item?.tat as number | undefined;
      const start = Math.max(tat ?? 0, now);
      if (start - now > maxWaitMs) return { retryAfterMs: start - now - maxWaitMs / 2 };
      const won = await conditional(
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...sendPacingKey(), type: "pacing", tat: start + cost },
            ...(tat === undefined
              ? { ConditionExpression: "attribute_not_exists(tat)" }
              : { ConditionExpression: "tat = :tat", ExpressionAttributeValues: { ":tat": tat } }),
          }),
        ),
      );
      if (won) return { startAt: start };
      // Another sender reserved first: read again after a short jittered pause.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 5 * 2 ** attempt)));
    }
  }
}
