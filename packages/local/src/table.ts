import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { PutCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SEED_MISSIONS } from "@mission-mail/core/missions/catalogue";
import { missionKey } from "@mission-mail/core/platform/table-keys";

/**
 * Creates the table with the same keys, index and TTL attribute as the Storage stack, if it does not
 * exist yet. Answers whether it was created.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: ["PK", "SK", "GSI1PK", "GSI1SK"].map((AttributeName) => ({ AttributeName, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: "PK", KeyType: "HASH" },
        { AttributeName: "SK", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "GSI1",
          KeySchema: [
            { AttributeName: "GSI1PK", KeyType: "HASH" },
            { AttributeName: "GSI1SK", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true } }));
  return true;
}

/** Seeds the missions catalogue; existing missions (perhaps edited by staff) are left alone. */
export async function seedMissions(client: DynamoDBClient, tableName: string): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client);
  let added = 0;
  for (const mission of SEED_MISSIONS) {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...missionKey(mission.id), type: "mission", ...mission },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
      added++;
    } catch (err) {
      if ((err as { name?: string }).name !== "ConditionalCheckFailedException") throw err;
    }
  }
  return added;
}
