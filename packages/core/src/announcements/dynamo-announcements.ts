import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Announcement, PausedReason } from "./schema";
import type { AnnouncementStore, CampaignControl, CampaignStatus } from "./ports";
import { ANNOUNCEMENTS_PK, announcementKey, announcementListIndexKey, campaignKey } from "../platform/table-keys";
import { conditional, readCampaignBatches, sumCounterShards } from "../platform/dynamo";

const strip = <T>(item: Record<string, unknown>): T => {
  const { PK: _p, SK: _s, type: _t, GSI1PK: _g, GSI1SK: _h, planOwner: _po, planLease: _pl, batchesLeft: _bl, ...rest } = item;
  return rest as T;
};

/** A list cursor: the sort key of the last announcement of a page, opaque to clients. */
const encodeCursor = (sortKey: string) => Buffer.from(sortKey, "utf8").toString("base64url");

/** The sort key a cursor stands for, or undefined if it is not one of ours. */
export function decodeAnnouncementCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const sortKey = Buffer.from(cursor, "base64url").toString("utf8");
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9A-Z]{26}$/.test(sortKey) ? sortKey : undefined;
}

/**
 * DynamoDB implementation of the announcement store and of staff control over a sending campaign,
 * on the single table. Announcements are written whole with a condition on their version; campaign
 * state changes are conditional updates, so a pause, a resume, a cancel and the automatic pause can
 * race without one undoing another.
 */
export class DynamoAnnouncements implements AnnouncementStore, CampaignControl {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(a: Announcement) {
    return { ...announcementKey(a.id), ...announcementListIndexKey(a.createdAt, a.id), type: "announcement", ...a };
  }

  async createAnnouncement(announcement: Announcement): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: this.item(announcement), ConditionExpression: "attribute_not_exists(PK)" }));
  }

  async getAnnouncement(id: string): Promise<Announcement | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: announcementKey(id), ConsistentRead: true }));
    return out.Item ? strip<Announcement>(out.Item) : undefined;
  }

  replaceAnnouncement(next: Announcement, expectedVersion: number): Promise<boolean> {
    return conditional(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.item(next),
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": expectedVersion },
        }),
      ),
    );
  }

  async listAnnouncements(options: { limit: number; before?: string }): Promise<{ announcements: Announcement[]; next?: string }> {
    const before = options.before === undefined ? undefined : decodeAnnouncementCursor(options.before);
    if (options.before !== undefined && before === undefined) throw new Error("Not an announcement cursor");
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: "GSI1",
        KeyConditionExpression: before ? "GSI1PK = :pk AND GSI1SK < :before" : "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": ANNOUNCEMENTS_PK, ...(before ? { ":before": before } : {}) },
        ScanIndexForward: false,
        Limit: options.limit,
      }),
    );
    const items = out.Items ?? [];
    const announcements = items.map((i) => strip<Announcement>(i));
    const last = items.at(-1);
    return out.LastEvaluatedKey && last ? { announcements, next: encodeCursor(last.GSI1SK as string) } : { announcements };
  }

  async campaignStatus(key: string): Promise<CampaignStatus | undefined> {
    const [out, shards] = await Promise.all([this.db.send(new GetCommand({ TableName: this.table, Key: campaignKey(key), ConsistentRead: true })), sumCounterShards(this.db, this.table, key)]);
    if (!out.Item) return undefined;
    const status = strip<CampaignStatus>(out.Item);
    // The per-recipient counters live in shards; a header written before they did may hold some too.
    for (const [counter, n] of Object.entries(shards)) (status as unknown as Record<string, number>)[counter] = ((status as unknown as Record<string, number | undefined>)[counter] ?? 0) + n;
    return status;
  }

  pauseCampaign(key: string, reason: PausedReason, expected?: { resumedAt: string | undefined }): Promise<boolean> {
    const sameResume = expected ? (expected.resumedAt === undefined ? " AND attribute_not_exists(resumedAt)" : " AND resumedAt = :resumedAt") : "";
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "SET #st = :paused, pausedReason = :reason",
          ConditionExpression: `#st IN (:planning, :sending)${sameResume}`,
          ExpressionAttributeNames: { "#st": "state" },
          ExpressionAttributeValues: {
            ":paused": "paused",
            ":reason": reason,
            ":planning": "planning",
            ":sending": "sending",
            ...(expected?.resumedAt !== undefined ? { ":resumedAt": expected.resumedAt } : {}),
          },
        }),
      ),
    );
  }

  resumeCampaign(key: string, at: string): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression:
            "SET #st = :sending, resumedAt = :at, baseSent = if_not_exists(sent, :zero), baseBounced = if_not_exists(bounced, :zero), baseComplained = if_not_exists(complained, :zero) REMOVE pausedReason",
          ConditionExpression: "#st = :paused",
          ExpressionAttributeNames: { "#st": "state" },
          ExpressionAttributeValues: { ":sending": "sending", ":paused": "paused", ":at": at, ":zero": 0 },
        }),
      ),
    );
  }

  cancelCampaign(key: string, at: string): Promise<boolean> {
    return conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "SET #st = :cancelled, cancelledAt = :at",
          ConditionExpression: "#st IN (:planning, :sending, :paused)",
          ExpressionAttributeNames: { "#st": "state" },
          ExpressionAttributeValues: { ":cancelled": "cancelled", ":at": at, ":planning": "planning", ":sending": "sending", ":paused": "paused" },
        }),
      ),
    );
  }

  async unsentBatches(key: string): Promise<number[]> {
    const { items } = await readCampaignBatches(this.db, this.table, key, ["batch", "status"]);
    return items
      .filter((i) => i.status !== "sent")
      .map((i) => i.batch as number)
      .sort((a, b) => a - b);
  }

  async finishIfDone(key: string): Promise<void> {
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: campaignKey(key),
          UpdateExpression: "SET #st = :done",
          ConditionExpression: "#st = :sending AND batchesDone = batches AND attribute_not_exists(planLease)",
          ExpressionAttributeNames: { "#st": "state" },
          ExpressionAttributeValues: { ":done": "done", ":sending": "sending" },
        }),
      ),
    );
  }
}
