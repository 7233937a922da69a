import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { auditCursor, decodeAuditCursor } from "./audit-log";
import type { AuditEntry, AuditLog } from "./ports";
import { AUDIT_MONTH_PREFIX, AUDIT_MONTHS_PK, auditEntryKey, auditMonthKey, auditPartition } from "../platform/table-keys";

/**
 * The audit log in the single table: one partition per month, entries sorted by time, each written
 * once with a conditional Put and never updated or deleted by the app. A small index item per month
 * lets a listing walk back through exactly the months that have entries, by Query only.
 */
export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const month = entry.at.slice(0, 7);
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...auditMonthKey(month), type: "audit-month", month } }));
    const item = { ...auditEntryKey(entry.at, entry.id), type: "audit", ...entry };
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(PK)" }));
    } catch (err) {
      if ((err as { name?: string }).name !== "ConditionalCheckFailedException") throw err;
      // The same entry is there when this write's first answer was lost and the SDK retried it; anything else is a rewrite.
      const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: auditEntryKey(entry.at, entry.id), ConsistentRead: true }));
      if (JSON.stringify(existing.Item, Object.keys(item).sort()) !== JSON.stringify(item, Object.keys(item).sort())) throw err;
    }
  }

  async list(options: { limit: number; before?: string }): Promise<{ entries: AuditEntry[]; next?: string }> {
    const before = options.before === undefined ? undefined : decodeAuditCursor(options.before);
    if (options.before !== undefined && !before) throw new Error("Not an audit cursor");
    const want = options.limit + 1;
    const found: AuditEntry[] = [];
    for (const month of await this.months()) {
      if (before && month > before.at.slice(0, 7)) continue;
      let startKey: Record<string, unknown> | undefined = before && month === before.at.slice(0, 7) ? auditEntryKey(before.at, before.id) : undefined;
      do {
        const out = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "PK = :pk",
            ExpressionAttributeValues: { ":pk": auditPartition(month) },
            ScanIndexForward: false,
            Limit: want - found.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of out.Items ?? []) found.push(toEntry(item));
        startKey = out.LastEvaluatedKey;
      } while (startKey && found.length < want);
      if (found.length >= want) break;
    }
    const entries = found.slice(0, options.limit);
    return found.length > options.limit ? { entries, next: auditCursor(entries.at(-1)!) } : { entries };
  }

  /** The months that have entries, newest first. */
  private async months(): Promise<string[]> {
    const months: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
          ExpressionAttributeValues: { ":pk": AUDIT_MONTHS_PK, ":prefix": AUDIT_MONTH_PREFIX },
          ScanIndexForward: false,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) months.push(String(item.month));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return months;
  }
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const { id, at, actor, action, targetId, details } = item as unknown as AuditEntry;
  return { id, at, actor, action, targetId, details: details ?? {} };
}
