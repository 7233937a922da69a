import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, expect, inject, it } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoSubscriberStore } from "../../packages/core/src/subscription/dynamo-subscriber-store";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { DynamoFeedbackStore } from "../../packages/core/src/feedback/dynamo-feedback-store";
import { DynamoAnnouncements } from "../../packages/core/src/announcements/dynamo-announcements";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { COUNTER_SHARDS, OUTBOX_PK, campaignBatchKey, campaignCounterKey, campaignKey, outboxIndexKey } from "../../packages/core/src/platform/table-keys";
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

it("DynamoDB: Delivery events count in the campaign's counter shards, each event once, summed on read; rare counters stay on the header", async () => {
  const d = db();
  const k = `announcement#counters-${process.pid}`;
  await new DynamoOutbox(d, table).openCampaign(k, "announcement", 0);
  const feedback = new DynamoFeedbackStore(d, table);
  for (let i = 0; i < 40; i++) expect(await feedback.countOnce(`delivery-${i}`, k, "delivered", 0)).toBe(true);
  expect(await feedback.countOnce("delivery-7", k, "delivered", 0)).toBe(false); // redelivered
  expect(await feedback.countOnce("bounce-1", k, "bounced", 0)).toBe(true);
  const header = (await d.send(new GetCommand({ TableName: table, Key: campaignKey(k) }))).Item!;
  expect(header.delivered).toBeUndefined();
  expect(header.bounced).toBe(1);
  const shards = await Promise.all(Array.from({ length: COUNTER_SHARDS }, async (_, i) => (await d.send(new GetCommand({ TableName: table, Key: campaignCounterKey(k, i) }))).Item?.delivered as number | undefined));
  expect(shards.filter((n) => n !== undefined).length).toBeGreaterThan(3);
  expect(shards.reduce((a: number, n) => a + (n ?? 0), 0)).toBe(40);
  expect(await new DynamoAnnouncements(d, table).campaignStatus(k)).toMatchObject({ key: k, delivered: 40, bounced: 1 });
});

it("DynamoDB: the sweep index spreads batches over its shards, and still finds a batch indexed before the shards", async () => {
  const d = db();
  const outbox = new DynamoOutbox(d, table);
  const k = `announcement#legacy-${process.pid}`;
  await outbox.openCampaign(k, "announcement", 0);
  const due = 500;
  await d.send(new PutCommand({ TableName: table, Item: { ...campaignBatchKey(k, 1), ...outboxIndexKey(due, k, 1), GSI1PK: OUTBOX_PK, type: "batch", campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["old"], status: "planned", results: {}, attempts: 0 } }));
  expect(await outbox.freezeBatches([2, 3].map((batch) => ({ campaign: k, batch, variant: "v", language: "sv" as const, recipients: [`r${batch}`] })), due + 1)).toEqual([]);
  const pks = await Promise.all([2, 3].map(async (b) => (await d.send(new GetCommand({ TableName: table, Key: campaignBatchKey(k, b) }))).Item!.GSI1PK));
  expect(pks).toEqual(["OUTBOX#2", "OUTBOX#3"]);
  // (Other tests' batches due at 0 come first.)
  expect((await outbox.dueBatches(due + 2, 1_000)).filter((b) => b.campaign === k)).toEqual([1, 2, 3].map((batch) => ({ campaign: k, batch })));
});
