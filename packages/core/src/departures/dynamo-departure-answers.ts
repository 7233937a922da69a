import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DepartureAnswer, DepartureAnswers } from "./ports";
import { departureClaimKey, departureKey, departurePartition } from "../platform/table-keys";
import { queryAll } from "../platform/dynamo";

/**
 * Departure answers in the single table: one partition per month, sorted by time, so a period is a
 * Query per month (never Scan). Each answer is written in one transaction with its claim, keyed by the
 * answer id, which makes a second answer from the same person a no-op.
 */
export class DynamoDepartureAnswers implements DepartureAnswers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(answer: DepartureAnswer): Promise<"recorded" | "duplicate"> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...departureClaimKey(answer.answerId), type: "departure-claim" }, ConditionExpression: "attribute_not_exists(PK)" } },
            { Put: { TableName: this.table, Item: { ...departureKey(answer.at, answer.answerId), type: "departure", ...answer } } },
          ],
        }),
      );
      return "recorded";
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed") return "duplicate";
      throw err;
    }
  }

  async between(fromIso: string, toIso: string): Promise<DepartureAnswer[]> {
    const out: DepartureAnswer[] = [];
    for (const month of monthsBetween(fromIso, toIso)) {
      const items = await queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": departurePartition(month), ":from": fromIso, ":to": `${toIso}` },
      });
      for (const { PK: _p, SK, type: _t, ...answer } of items) if (String(SK) < toIso) out.push(answer as unknown as DepartureAnswer);
    }
    return out;
  }
}

/** The months (YYYY-MM) an interval touches, oldest first. */
function monthsBetween(fromIso: string, toIso: string): string[] {
  const months: string[] = [];
  let [y, m] = fromIso.slice(0, 7).split("-").map(Number) as [number, number];
  const last = toIso.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    if (month > last) break;
    months.push(month);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}
