import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ManagedMission, MissionCatalogue } from "./ports";
import { MISSIONS_PK, missionKey } from "../platform/table-keys";
import { conditional } from "../platform/dynamo";

/** A stored mission; the seeded ones carry no version yet and count as version 1. */
function toMission(item: Record<string, unknown>): ManagedMission {
  const { PK: _p, SK: _s, type: _t, ...rest } = item;
  const mission = rest as unknown as ManagedMission;
  return { ...mission, version: typeof mission.version === "number" ? mission.version : 1 };
}

/** DynamoDB implementation of the staff-managed missions catalogue, in the `MISSIONS` partition. */
export class DynamoMissionCatalogue implements MissionCatalogue {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async listAll(): Promise<ManagedMission[]> {
    const out = await this.db.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": MISSIONS_PK }, ConsistentRead: true }),
    );
    return (out.Items ?? []).map(toMission);
  }

  async get(missionId: string): Promise<ManagedMission | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: missionKey(missionId), ConsistentRead: true }));
    return out.Item ? toMission(out.Item) : undefined;
  }

  async add(mission: ManagedMission): Promise<"added" | "exists"> {
    const added = await conditional(
      this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...missionKey(mission.id), type: "mission", ...mission }, ConditionExpression: "attribute_not_exists(PK)" }),
      ),
    );
    return added ? "added" : "exists";
  }

  async update(mission: ManagedMission, expectedVersion: number): Promise<"updated" | "conflict"> {
    // A seeded mission has no version attribute: it is version 1.
    const versionCheck = expectedVersion === 1 ? "(attribute_not_exists(version) OR version = :expected)" : "version = :expected";
    // Optional fields are set when present and removed when absent: the document client drops
    // undefined values, so an expression may only name the values that are there.
    const set = ["#n = :name", "description = :description", "contact = :contact", "version = :version"];
    const remove: string[] = [];
    const values: Record<string, unknown> = {
      ":name": mission.name,
      ":description": mission.description,
      ":contact": mission.contact,
      ":version": expectedVersion + 1,
      ":expected": expectedVersion,
    };
    if (mission.updatedAt !== undefined) {
      set.push("updatedAt = :at");
      values[":at"] = mission.updatedAt;
    }
    if (mission.teamAddress !== undefined) {
      set.push("teamAddress = :team");
      values[":team"] = mission.teamAddress;
    } else remove.push("teamAddress");
    const updated = await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: missionKey(mission.id),
          UpdateExpression: `SET ${set.join(", ")}${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`,
          ConditionExpression: `attribute_exists(PK) AND ${versionCheck}`,
          ExpressionAttributeNames: { "#n": "name" },
          ExpressionAttributeValues: values,
        }),
      ),
    );
    return updated ? "updated" : "conflict";
  }

  async retire(missionId: string, at: string): Promise<ManagedMission | undefined> {
    // A failed condition means it was retired already (or does not exist): the stored item says which.
    await conditional(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: missionKey(missionId),
          // if_not_exists: a seeded mission has no version yet (version 1), so retiring it makes version 2.
          UpdateExpression: "SET #s = :retired, retiredAt = :at, updatedAt = :at, version = if_not_exists(version, :one) + :one",
          ConditionExpression: "attribute_exists(PK) AND #s <> :retired",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":retired": "retired", ":at": at, ":one": 1 },
        }),
      ),
    );
    return this.get(missionId);
  }
}
