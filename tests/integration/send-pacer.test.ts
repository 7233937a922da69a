import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, expect, inject, it } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoSendPacer } from "../../packages/core/src/campaigns/dynamo-send-pacer";
import { ensureTable } from "../../packages/local/src/table";

const table = `pacer-${randomBytes(4).toString("hex")}`;
beforeAll(async () => {
  const client = new DynamoDBClient({ endpoint: inject("dynamodbEndpoint"), region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  await ensureTable(client, table);
  client.destroy();
});
const db = () => documentClient({ region: "eu-north-1", endpoint: inject("dynamodbEndpoint") });

it("gives concurrent senders disjoint slots: the rate counts recipients and holds across all of them", async () => {
  // Six senders, each with its own client (as separate Lambdas would be), reserve 50 recipients at once at 1,000/s.
  const senders = Array.from({ length: 6 }, () => new DynamoSendPacer(db(), table, 1000));
  const now = Date.now();
  const reservations = await Promise.all(senders.map((p) => p.reserve(50, now, 10_000)));
  const starts = reservations.map((r) => ("startAt" in r ? r.startAt : Number.NaN)).sort((a, b) => a - b);
  expect(starts.every(Number.isFinite)).toBe(true);
  // 50 recipients at 1,000/s take 50 ms: no two reservations may share a slot.
  for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(49);
  expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(5 * 49);
});

it("reserves nothing and says when to come back when the wait would be too long", async () => {
  const pacer = new DynamoSendPacer(db(), `${table}`, 10);
  const now = Date.now() + 60_000;
  // 50 recipients at 10/s book the next 5 s; a second 50 would have to wait 5 s.
  expect(await pacer.reserve(50, now, 1_000)).toEqual({ startAt: now });
  const refused = await pacer.reserve(50, now, 1_000);
  expect(refused).toHaveProperty("retryAfterMs");
  expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(4_000);
  // Nothing was booked by the refusal: a sender coming back later gets the slot right after the first.
  expect(await pacer.reserve(10, now + 5_000, 1_000)).toEqual({ startAt: now + 5_000 });
});

it("books one process's concurrent reservations together: disjoint consecutive slots, in fewer requests than reservations", async () => {
  const client = db();
  let requests = 0;
  const send = client.send.bind(client);
  client.send = ((command: never) => {
    requests += 1;
    return send(command);
  }) as typeof client.send;
  const pacer = new DynamoSendPacer(client, table, 1000);
  const now = Date.now() + 120_000;
  const reservations = await Promise.all(Array.from({ length: 10 }, () => pacer.reserve(50, now, 10_000)));
  const starts = reservations.map((r) => ("startAt" in r ? r.startAt : Number.NaN)).sort((a, b) => a - b);
  expect(starts.every(Number.isFinite)).toBe(true);
  // 50 recipients at 1,000/s take 50 ms: each slot starts where the one before ends.
  for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(49);
  expect(requests).toBeLessThan(10);
  // A lot that would not fit within each one's longest wait is not booked together: each gets its answer alone.
  const slow = new DynamoSendPacer(db(), table, 10);
  const later = now + 600_000;
  // 50 recipients at 10/s take 5 s: with a longest wait of 6 s, the second fits and the third does not.
  const answers = await Promise.all([slow.reserve(50, later, 6_000), slow.reserve(50, later, 6_000), slow.reserve(50, later, 6_000)]);
  expect(answers.filter((a) => "startAt" in a).map((a) => (a as { startAt: number }).startAt - later)).toEqual([0, 5_000]);
  expect(answers.filter((a) => "retryAfterMs" in a)).toHaveLength(1);
});
