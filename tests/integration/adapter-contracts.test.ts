import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, expect, inject, it } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoSubscriberStore } from "../../packages/core/src/subscription/dynamo-subscriber-store";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { DynamoFeedbackStore } from "../../packages/core/src/feedback/dynamo-feedback-store";
import { DynamoAnnouncements } from "../../packages/core/src/announcements/dynamo-announcements";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { COUNTER_SHARDS, OUTBOX_PK, OWN_BATCH_PARTITIONS, campaignBatchKey, campaignCounterKey, campaignKey, legacyCampaignBatchKey, outboxIndexKey } from "../../packages/core/src/platform/table-keys";
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
  // One update of the header (how far the numbers go), then the batches a hundred to a transaction.
  expect(requests).toEqual(["UpdateItemCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
});

it("DynamoDB: each batch has a partition key of its own, the header counts how far the numbers go, and nothing is listed by Query", async () => {
  const d = db();
  const requests: string[] = [];
  d.middlewareStack.add((next, context) => async (args) => {
    requests.push(context.commandName as string);
    return next(args);
  }, { step: "initialize", name: "countRequests" });
  const outbox = new DynamoOutbox(d, table);
  const k = `digest#weekly#own-${process.pid}`;
  await outbox.openCampaign(k, "digest", 0);
  await outbox.freezeBatches([1, 2, 3].map((batch) => ({ campaign: k, batch, variant: "v", language: "sv" as const, recipients: [`p${batch}`] })), 0);
  const header = (await d.send(new GetCommand({ TableName: table, Key: campaignKey(k) }))).Item!;
  expect(header).toMatchObject({ batchLayout: OWN_BATCH_PARTITIONS, lastBatch: 3 });
  const item = (await d.send(new GetCommand({ TableName: table, Key: campaignBatchKey(k, 2) }))).Item!;
  expect(item).toMatchObject({ PK: `CAMPAIGN#${k}#BATCH#000002`, SK: "BATCH", recipients: ["p2"], status: "planned" });
  expect((await d.send(new GetCommand({ TableName: table, Key: legacyCampaignBatchKey(k, 2) }))).Item).toBeUndefined();
  // The header's number is raised, never lowered; a number that was never written (a planner that
  // stopped between numbering and freezing) is simply absent, and the next plan goes on after it.
  await outbox.freezeBatches([{ campaign: k, batch: 1, variant: "v", language: "sv", recipients: ["p1"] }], 0);
  expect((await d.send(new GetCommand({ TableName: table, Key: campaignKey(k) }))).Item!.lastBatch).toBe(3);
  await d.send(new UpdateCommand({ TableName: table, Key: campaignKey(k), UpdateExpression: "SET lastBatch = :n", ExpressionAttributeValues: { ":n": 5 } }));
  await outbox.freezeBatches([{ campaign: k, batch: 4, variant: "v", language: "sv", recipients: ["p4"] }], 0);
  requests.length = 0;
  expect(await outbox.plannedRecipients(k)).toEqual({ recipients: new Set(["p1", "p2", "p3", "p4"]), lastBatch: 5 });
  expect(await new DynamoAnnouncements(d, table).unsentBatches(k)).toEqual([1, 2, 3, 4]);
  expect(requests).not.toContain("QueryCommand");
  // (Who a campaign reached also reads the recipients of coalesced alerts, by Query of the campaign's own partition.)
  expect((await outbox.recipientsOf([k])).map((r) => r.subscriberId).sort()).toEqual(["p1", "p2", "p3", "p4"]);
  // A fresh adapter (another container) finds the layout on the header once, then leases by number.
  const fresh = new DynamoOutbox(db(), table);
  expect(await fresh.leaseBatch(k, 4, "s", 0, 60_000)).toMatchObject({ leased: { batch: 4, recipients: ["p4"] } });
  expect(await fresh.completeBatch(k, 4, "s", { p4: { kind: "sent", messageId: "m4" } }, { sent: 1, skipped: 0, failed: 0 })).toBe(true);
  expect(await new DynamoAnnouncements(d, table).unsentBatches(k)).toEqual([1, 2, 3]);
  expect(await new DynamoFeedbackStore(d, table).markEntryFailed(k, 4, "p4", "rendering: bad")).toBe(true);
  expect((await outbox.recipientsOf([k])).find((r) => r.subscriberId === "p4")).toMatchObject({ via: "batch", outcome: { kind: "failed", reason: "rendering: bad" } });
});

it("DynamoDB: a campaign opened before batches had partitions of their own is still planned, sent, swept and read in its old layout", async () => {
  const d = db();
  const k = `digest#weekly#legacy-layout-${process.pid}`;
  // The header and batches as the earlier code wrote them: no batchLayout, batches in the campaign's partition.
  await d.send(new PutCommand({ TableName: table, Item: { ...campaignKey(k), type: "campaign", key: k, kind: "digest", state: "sending", planned: 2, sent: 0, skipped: 0, failed: 0, batches: 2, batchesLeft: 2, batchesDone: 0, createdAt: new Date(0).toISOString() } }));
  for (const b of [1, 2]) {
    await d.send(new PutCommand({ TableName: table, Item: { ...legacyCampaignBatchKey(k, b), ...outboxIndexKey(700 + b, k, b), type: "batch", campaign: k, batch: b, variant: "v", language: "sv", recipients: [`old${b}`], status: "planned", results: {}, attempts: 0 } }));
  }
  const outbox = new DynamoOutbox(d, table);
  expect(await outbox.plannedRecipients(k)).toEqual({ recipients: new Set(["old1", "old2"]), lastBatch: 2 });
  // A re-plan of it adds batches in the same layout.
  expect(await outbox.freezeBatches([{ campaign: k, batch: 3, variant: "v", language: "sv", recipients: ["old3"] }], 703)).toEqual([]);
  expect((await d.send(new GetCommand({ TableName: table, Key: legacyCampaignBatchKey(k, 3) }))).Item).toMatchObject({ recipients: ["old3"] });
  expect((await d.send(new GetCommand({ TableName: table, Key: campaignBatchKey(k, 3) }))).Item).toBeUndefined();
  await outbox.addPlanned(k, 1, 1, 0, "replan");
  expect((await outbox.dueBatches(705, 1_000)).filter((b) => b.campaign === k)).toEqual([1, 2, 3].map((batch) => ({ campaign: k, batch })));
  const sender = new DynamoOutbox(db(), table);
  for (const b of [1, 2, 3]) {
    expect(await sender.leaseBatch(k, b, "s", 800, 60_000)).toMatchObject({ leased: { batch: b, recipients: [`old${b}`] } });
    expect(await sender.leaseBatch(k, b, "t", 801, 60_000)).toEqual({ status: "leased" });
    expect(await sender.completeBatch(k, b, "s", { [`old${b}`]: { kind: "sent", messageId: `m${b}` } }, { sent: 1, skipped: 0, failed: 0 })).toBe(true);
  }
  expect(await sender.leaseBatch(k, 1, "u", 900, 60_000)).toEqual({ status: "sent" });
  expect(await outbox.getCampaign(k)).toMatchObject({ state: "done", sent: 3, batchesDone: 3 });
  expect((await outbox.recipientsOf([k])).map((r) => r.subscriberId).sort()).toEqual(["old1", "old2", "old3"]);
  expect(await new DynamoAnnouncements(d, table).unsentBatches(k)).toEqual([]);
  expect(await new DynamoFeedbackStore(d, table).markEntryFailed(k, 2, "old2", "rendering: bad")).toBe(true);
  expect(await outbox.getCampaign(k)).toMatchObject({ sent: 2, failed: 1 });
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
