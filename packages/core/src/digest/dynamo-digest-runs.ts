import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { runKey, runListIndexKey } from "../platform/table-keys";
import type { DigestRun, DigestRunStore } from "./ports";

/** How long a run is kept for the staff console: 90 days. */
const RUN_SECONDS = 90 * 86_400;

const toRun = (item: Record<string, unknown>): DigestRun => {
  const { PK: _p, SK: _s, type: _t, GSI1PK: _g, GSI1SK: _h, expiresAt: _e, ...run } = item;
  return run as unknown as DigestRun;
};

/** DynamoDB implementation of the digest run store, on the single table (listed newest first through GSI1). */
export class DynamoDigestRuns implements DigestRunStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putRun(run: DigestRun): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...runKey(run.runId), ...runListIndexKey(run.createdAt, run.runId), type: "run", ...run, expiresAt: Math.floor(Date.parse(run.createdAt) / 1000) + RUN_SECONDS },
      }),
    );
  }

  async listRuns(limit: number): Promise<DigestRun[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": runListIndexKey("", "").GSI1PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(toRun);
  }

  async getRun(runId: string): Promise<DigestRun | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: runKey(runId), ConsistentRead: true }));
    return out.Item ? toRun(out.Item) : undefined;
  }
}
