import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, expect, inject, it } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoSubscriberStore } from "../../packages/core/src/subscription/dynamo-subscriber-store";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { ensureTable } from "../../packages/local/src/table";
import { outboxContract } from "../contracts/outbox";
import { subscriberStoreContract } from "../contracts/subscriber-store";

// The DynamoDB adapters against the contracts the in-memory fakes also pass (tests/unit/fakes.test.ts).
const table = `contracts-${randomBytes(4).toString("hex")}`;
beforeAll(async () => {
  const client = new DynamoDBClient({ endpoint: inject("dynamodbEndpoint"), region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  await ensureTable(client, table);
  client.destroy();
});
const db = () => documentClient({ region: "eu-north-1", endpoint: inject("dynamodbEndpoint") });

subscriberStoreContract("DynamoDB", async () => {
  const d = db();
  const outbox = new DynamoOutbox(d, table);
  return { store: new DynamoSubscriberStore(d, table), recordDelivery: (id, record) => outbox.recordDeliveries(record.campaign, record.batch, [{ subscriberId: id, record }]) };
});
outboxContract("DynamoDB", async () => new DynamoOutbox(db(), table));

it("DynamoDB: 250 new batches are frozen with three TransactWriteItems, and no request per batch", async () => {
  const d = db();
  const requests: string[] = [];
  d.middlewareStack.add((next, context) => async (args) => {
    requests.push(context.commandName as string);
    return next(args);
  }, { step: "initialize", name: "countRequests" });
  const outbox = new DynamoOutbox(d, table);
  const k = `announcement#chunks-${process.pid}`;
  await outbox.openCampaign(k, "announcement", 0);
  requests.length = 0;
  const batches = Array.from({ length: 250 }, (_, i) => ({ campaign: k, batch: i + 1, variant: "v", language: "sv" as const, recipients: [`c${i}`] }));
  expect(await outbox.freezeBatches(batches, 0)).toEqual([]);
  expect(requests.sort()).toEqual(["TransactWriteItemsCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
});
