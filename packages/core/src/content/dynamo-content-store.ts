import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ContentItem } from "./schema";
import type { ContentStore, StoredContent } from "./ports";
import { contentKey, missionContentKey, missionContentPK, sortableTime } from "../platform/table-keys";
import { conditional, queryAll } from "../platform/dynamo";

const section = (item: ContentItem) => (item.kind === "seminar" ? "SEMINAR" : "ARTICLE");
const sortAt = (item: ContentItem) => (item.kind === "seminar" ? item.startsAt : item.publishedAt);

/** The per-mission index entries of a stored item: none once it is unpublished. */
function indexKeys(stored: StoredContent | undefined) {
  if (!stored || stored.status !== "published") return [];
  return stored.item.missions.map((m) => missionContentKey(m, section(stored.item), sortAt(stored.item), stored.item.id));
}

/** DynamoDB implementation of the content store: one item per content id plus one index entry per mission. */
export class DynamoContentStore implements ContentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getContent(itemId: string): Promise<StoredContent | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: contentKey(itemId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { item, status, alertedVersions, updatedAt, previousItem, plannedVersion } = out.Item as StoredContent;
    return { item, status, alertedVersions, updatedAt, ...(previousItem ? { previousItem } : {}), ...(plannedVersion !== undefined ? { plannedVersion } : {}) };
  }

  async putContent(next: StoredContent, previous: StoredContent | undefined): Promise<"written" | "conflict"> {
    const newKeys = indexKeys(next);
    const keep = new Set(newKeys.map((k) => `${k.PK}|${k.SK}`));
    const stale = indexKeys(previous).filter((k) => !keep.has(`${k.PK}|${k.SK}`));
    const written = await conditional(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...contentKey(next.item.id), type: "content", ...next, version: next.item.version, alertCount: next.alertedVersions.length },
                // Optimistic concurrency on what we read: same version and alert history, or nothing yet.
                ...(previous
                  ? {
                      ConditionExpression: "version = :v AND alertCount = :a AND #st = :s",
                      ExpressionAttributeNames: { "#st": "status" },
                      ExpressionAttributeValues: { ":v": previous.item.version, ":a": previous.alertedVersions.length, ":s": previous.status },
                    }
                  : { ConditionExpression: "attribute_not_exists(PK)" }),
              },
            },
            ...stale.map((Key) => ({ Delete: { TableName: this.table, Key } })),
            ...newKeys.map((k) => ({ Put: { TableName: this.table, Item: { ...k, type: "mission-content", item: next.item } } })),
          ],
        }),
      ),
    );
    return written ? "written" : "conflict";
  }

  async markPlanned(itemId: string, version: number): Promise<void> {
    // Only while the item is still at this version: a newer one has its own planning to finish.
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: contentKey(itemId),
          UpdateExpression: "SET plannedVersion = :v",
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": version },
        }),
      ),
    );
  }

  upcomingSeminars(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]> {
    return this.range(missionId, `SEMINAR#${sortableTime(fromIso)}`, `SEMINAR#${sortableTime(toIso)}`);
  }

  articlesBetween(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]> {
    return this.range(missionId, `ARTICLE#${sortableTime(fromIso)}`, `ARTICLE#${sortableTime(toIso)}`);
  }

  /** Items with SK in [from, to): BETWEEN is inclusive, so the upper bound is excluded in code. */
  private async range(missionId: string, from: string, to: string): Promise<ContentItem[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": missionContentPK(missionId), ":from": from, ":to": to },
    });
    return items.filter((i) => (i.SK as string) < to).map((i) => i.item as ContentItem);
  }
}
