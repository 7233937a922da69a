import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { MissionStats, StatCounter } from "./ports";
import { missionStatsDayKey, missionStatsTotalKey } from "../platform/table-keys";
import { queryAll } from "../platform/dynamo";

/** DynamoDB implementation of the per-mission statistics: atomic ADDs on one item per mission and day. */
export class DynamoMissionStats implements MissionStats {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly onError: (err: unknown) => void = (err) => console.error(`[stats] a counter was not updated: ${(err as Error).message}`),
  ) {}

  async add(missionId: string, day: string, counts: Partial<Record<StatCounter, number>>, totalDelta?: number): Promise<void> {
    const entries = Object.entries(counts).filter(([, n]) => n);
    const add = (key: { PK: string; SK: string }, values: [string, number][]) =>
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET #type = :type ADD ${values.map((_, i) => `#c${i} :c${i}`).join(", ")}`,
          ExpressionAttributeNames: { "#type": "type", ...Object.fromEntries(values.map(([name], i) => [`#c${i}`, name])) },
          ExpressionAttributeValues: { ":type": "mission-stats", ...Object.fromEntries(values.map(([, n], i) => [`:c${i}`, n])) },
        }),
      );
    try {
      await Promise.all([
        ...(entries.length ? [add(missionStatsDayKey(missionId, day), entries)] : []),
        ...(totalDelta ? [add(missionStatsTotalKey(missionId), [["subscribers", totalDelta]])] : []),
      ]);
    } catch (err) {
      this.onError(err);
    }
  }

  async read(missionId: string, fromDay: string, toDay: string) {
    const [rows, total] = await Promise.all([
      queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": missionStatsDayKey(missionId, "").PK, ":from": `DAY#${fromDay}`, ":to": `DAY#${toDay}` },
      }),
      this.db.send(new GetCommand({ TableName: this.table, Key: missionStatsTotalKey(missionId) })),
    ]);
    const days = new Map<string, Partial<Record<StatCounter, number>>>();
    for (const { PK: _p, SK, type: _t, ...counts } of rows) days.set((SK as string).slice(4), counts as Partial<Record<StatCounter, number>>);
    return { days, total: (total.Item?.subscribers as number | undefined) ?? 0 };
  }
}
