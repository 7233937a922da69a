import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ServiceCounter, ServiceTotals } from "./ports";
import { SERVICE_STATS_SHARDS, serviceStatsDayKey, serviceStatsPK, serviceStatsShardOf } from "../platform/table-keys";
import { queryAll } from "../platform/dynamo";

/** DynamoDB implementation of the service-wide daily totals: atomic ADDs on a few sharded items per day. */
export class DynamoServiceTotals implements ServiceTotals {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly onError: (err: unknown) => void = (err) => console.error(`[stats] a service total was not updated: ${(err as Error).message}`),
  ) {}

  async add(day: string, counts: Partial<Record<ServiceCounter, number>>, shardKey: string): Promise<void> {
    const values = Object.entries(counts).filter(([, n]) => n);
    if (!values.length) return;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: serviceStatsDayKey(day, serviceStatsShardOf(shardKey)),
          UpdateExpression: `SET #type = :type ADD ${values.map((_, i) => `#c${i} :c${i}`).join(", ")}`,
          ExpressionAttributeNames: { "#type": "type", ...Object.fromEntries(values.map(([name], i) => [`#c${i}`, name])) },
          ExpressionAttributeValues: { ":type": "service-stats", ...Object.fromEntries(values.map(([, n], i) => [`:c${i}`, n])) },
        }),
      );
    } catch (err) {
      this.onError(err);
    }
  }

  async read(fromDay: string, toDay: string): Promise<Map<string, Partial<Record<ServiceCounter, number>>>> {
    const shards = await Promise.all(
      Array.from({ length: SERVICE_STATS_SHARDS }, (_, shard) =>
        queryAll(this.db, {
          TableName: this.table,
          KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":pk": serviceStatsPK(shard), ":from": `DAY#${fromDay}`, ":to": `DAY#${toDay}` },
        }),
      ),
    );
    const days = new Map<string, Partial<Record<ServiceCounter, number>>>();
    for (const { PK: _p, SK, type: _t, ...counts } of shards.flat()) {
      const day = (SK as string).slice(4);
      const sum = days.get(day) ?? {};
      for (const [name, n] of Object.entries(counts)) if (typeof n === "number") sum[name as ServiceCounter] = (sum[name as ServiceCounter] ?? 0) + n;
      days.set(day, sum);
    }
    return days;
  }
}
