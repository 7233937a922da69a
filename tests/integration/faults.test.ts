import { mkdirSync, writeFileSync } from "node:fs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it, inject } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { SesMailer } from "../../packages/core/src/campaigns/ses-mailer";
import { campaignFromTag } from "../../packages/core/src/shared/campaign-tags";
import type { BulkEmail, Mailer, OutgoingEmail } from "../../packages/core/src/campaigns/ports";
import { contentKey } from "../../packages/core/src/platform/table-keys";
import type { WiringOverrides } from "../../packages/functions/src/wiring/wiring";
import { startDynamoFaultProxy, type DynamoFaultProxy } from "../../packages/local/src/dynamodb-fault-proxy";
import { startSesSink, type SesSink } from "../../packages/local/src/ses-sink";
import { expectedRecipients, seedSubscribers, syntheticContent, syntheticSubscribers } from "../../bench/lib/stack";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

/**
 * The fault-injection suite: a digest to `FAULT_RECIPIENTS` subscribers (10,000 in `npm run
 * test:reliability`, fewer in `npm test`) while everything around the sender misbehaves at once:
 * - SES throttles 10% of calls and fails 1% with a 5xx;
 * - the sender "crashes" at random points: before a send, and after SES accepted a call but before
 *   anything about it was written (the process is gone: none of its later writes happen);
 * - DynamoDB throttles 5% of writes and applies 1% of writes without ever answering;
 * - content events arrive duplicated, replayed and out of order;
 * - every batch pointer is delivered twice.
 * Nobody may be lost, and the only duplicates allowed are inside the documented crash window: the
 * recipients of a call SES accepted just before a crash.
 */
const RECIPIENTS = Number(process.env.FAULT_RECIPIENTS ?? 600);
const SEED = 4242;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class SimulatedCrash extends Error {
  override name = "SimulatedCrash";
}

let h: Harness;
let sink: SesSink;
let proxy: DynamoFaultProxy;
let faultsOn = false;
const crash = { before: 0, afterAccept: 0, droppedWrites: 0, windowRecipients: new Set<string>() };

beforeAll(async () => {
  const dbRandom = seeded(SEED);
  proxy = await startDynamoFaultProxy({ target: inject("dynamodbEndpoint"), throttleFraction: 0.05, timeoutAfterWriteFraction: 0.01, random: () => (faultsOn ? dbRandom() : 1) });
  const sesRandom = seeded(SEED + 1);
  // The crashing sender, behind our own ports, put in the local cloud's wiring once the SES sink runs.
  const crashingPorts = ({ tableName }: { tableName: string }): WiringOverrides => {
    // A mailer that dies around SES calls, and an outbox
    // that loses every write a dead sender would have made after the crash.
    const crashRandom = seeded(SEED + 2);
    const dead = new Set<string>();
    const batchOf = (tags?: Record<string, string>) => (tags?.campaign ? `${campaignFromTag(tags.campaign)}#${tags.batch}` : undefined);
    const realMailer = new SesMailer({ region: "eu-north-1", endpoint: sink.url }, "Missions <news@missions.example.org>");
    const around = async <T>(tags: Record<string, string> | undefined, recipients: string[], send: () => Promise<T>): Promise<T> => {
      const batch = batchOf(tags);
      const r = faultsOn && batch ? crashRandom() : 1;
      if (r < 0.03) {
        crash.before++;
        dead.add(batch!);
        throw new SimulatedCrash("crashed before the send");
      }
      const result = await send();
      if (r < 0.06) {
        crash.afterAccept++;
        dead.add(batch!);
        for (const to of recipients) crash.windowRecipients.add(to);
        throw new SimulatedCrash("crashed after SES accepted, before anything was written");
      }
      return result;
    };
    const mailer: Mailer = {
      send: (email: OutgoingEmail) => around(email.tags, [email.to], () => realMailer.send(email)),
      sendBulk: (email: BulkEmail) => around(email.tags, email.entries.map((e) => e.to), () => realMailer.sendBulk(email)),
    };
    const realOutbox = new DynamoOutbox(documentClient({ region: "eu-north-1", endpoint: proxy.url }), tableName);
    const outbox = new Proxy(realOutbox, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop !== "saveProgress" && prop !== "completeBatch" && prop !== "recordDeliveries") return value.bind(target);
        return async (key: string, batch: number, ...rest: unknown[]) => {
          if (dead.delete(`${key}#${batch}`)) {
            crash.droppedWrites++;
            throw new SimulatedCrash("the sender is gone; this write never happens");
          }
          return (value as (...a: unknown[]) => Promise<unknown>).call(target, key, batch, ...rest);
        };
      },
    });
    return { mailer, outbox };
  };
  h = await startHarness(
    { SEND_RATE_PER_SECOND: "3000", SENDER_LEASE_SECONDS: "2", RATE_LIMIT_PER_IP: "100000" },
    {
      dynamodbEndpoint: proxy.url,
      wiring: crashingPorts,
      delayScale: 0.01,
      sesEndpoint: async () => {
        sink = await startSesSink({ throttleFraction: 0.1, failFraction: 0.01, random: () => (faultsOn ? sesRandom() : 1) });
        return sink.url;
      },
    },
  );

}, 600_000);

afterAll(async () => {
  await h?.stop();
  await sink?.close();
  await proxy?.close();
});

const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
/** Waits for the stack to go quiet, but never forever: a crashed batch comes back only through the sweeper. */
const settled = () => Promise.race([h.idle(), new Promise((r) => setTimeout(r, 5_000))]);

it(`delivers a ${RECIPIENTS.toLocaleString("en")}-recipient digest and an announcement through SES, DynamoDB and sender faults: nobody lost, duplicates only in the crash window`, async () => {
  const started = performance.now();
  const subscribers = syntheticSubscribers(RECIPIENTS, SEED);
  await seedSubscribers(h.doc, h.cloud.tableName, subscribers);
  const items = syntheticContent(Math.max(10, Math.round(RECIPIENTS / 200)), SEED);
  const expected = expectedRecipients(subscribers, items);
  faultsOn = true;

  // Content arrives duplicated, replayed and out of order: v2 before v1, v2 twice, v1 again.
  const v2 = items.map((item) => ({ ...item, version: 2, title: `${item.title} (v2)` }));
  for (const event of [...v2, ...items, ...v2, ...items].map((item) => ({ type: "content.published", item }))) {
    const res = await h.publish(event);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  }
  await h.idle();
  for (const item of items) {
    const stored = await h.doc.send(new GetCommand({ TableName: h.cloud.tableName, Key: contentKey(item.id), ConsistentRead: true }));
    expect(stored.Item?.item.version, item.id).toBe(2);
  }
  sink.reset();

  const run = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: staff });
  expect(run.status).toBe(202);
  await h.cloud.planQueue.idle();
  // Every batch pointer is delivered a second time, as SQS may.
  const planned = (await h.request("GET", `/api/staff/runs/${run.body.runId}`, { headers: staff })).body;
  for (let batch = 1; batch <= 5_000; batch++) {
    const item = await h.doc.send(new GetCommand({ TableName: h.cloud.tableName, Key: { PK: `CAMPAIGN#${planned.campaign}#BATCH#${String(batch).padStart(6, "0")}`, SK: "BATCH" } }));
    if (!item.Item) break;
    h.cloud.sendQueue.sendRaw(JSON.stringify({ kind: "batch", campaign: planned.campaign, batch }));
  }

  // Crashed batches stay leased until their lease runs out; the sweeper sends them on.
  const deadline = Date.now() + 15 * 60_000;
  let status = planned;
  while (Date.now() < deadline) {
    await settled();
    status = (await h.request("GET", `/api/staff/runs/${run.body.runId}`, { headers: staff })).body;
    if (status.state === "done") break;
    await new Promise((r) => setTimeout(r, 2_100));
    await h.cloud.scheduler.sweepNow();
  }
  faultsOn = false;
  expect(status.state).toBe("done");

  const counts = sink.counts();
  const lost = [...expected].filter((address) => !counts.has(address));
  const duplicates = [...counts].filter(([, n]) => n > 1);
  const outsideWindow = duplicates.filter(([address]) => !crash.windowRecipients.has(address));
  const unexpected = [...counts.keys()].filter((address) => !expected.has(address));
  const figures = {
    recipients: RECIPIENTS,
    expected: expected.size,
    delivered: counts.size,
    lost: lost.length,
    duplicates: duplicates.reduce((sum, [, n]) => sum + n - 1, 0),
    duplicatesInCrashWindow: duplicates.filter(([address]) => crash.windowRecipients.has(address)).length,
    duplicatesOutsideWindow: outsideWindow.length,
    unexpected: unexpected.length,
    faults: {
      sesCalls: sink.calls().bulk + sink.calls().sendEmail,
      sesThrottled: sink.calls().throttled,
      sesFailed: sink.calls().failed,
      crashesBeforeSend: crash.before,
      crashesAfterAccept: crash.afterAccept,
      writesLostToCrashes: crash.droppedWrites,
      dynamoWrites: proxy.injected().writes,
      dynamoThrottled: proxy.injected().throttled,
      dynamoTimedOutAfterWrite: proxy.injected().timedOutAfterWrite,
      contentEventsPublished: items.length * 4,
      pointersDeliveredTwice: planned.planned ? Math.ceil(planned.planned / 50) : 0,
    },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  expect(lost, `lost: ${lost.slice(0, 5).join(", ")}`).toEqual([]);
  expect(outsideWindow, "duplicates outside the crash window").toEqual([]);
  expect(unexpected).toEqual([]);

  // Then a launch announcement to every follower of news, through the same faults.
  sink.reset();
  crash.windowRecipients.clear();
  const newsFollowers = new Set(subscribers.filter((x) => x.topics.includes("news")).map((x) => x.email));
  const created = await h.request("POST", "/api/staff/announcements", {
    json: { title: { sv: "Var med på lanseringen", en: "Join the launch" }, body: { sv: "Välkommen!", en: "Welcome!" }, missions: subscribers.flatMap((x) => x.missions).filter((m, i, all) => all.indexOf(m) === i) },
    headers: staff,
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  // Above the approval threshold: a second publisher approves what the first wrote, then it is sent.
  const approver = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "approver@example.org", groups: ["publisher"] })}` };
  expect((await h.request("POST", `/api/staff/announcements/${id}/approve`, { json: {}, headers: approver })).status).toBe(200);
  faultsOn = true;
  expect((await h.request("POST", `/api/staff/announcements/${id}/send`, { json: { acknowledgeWarnings: true }, headers: staff })).status).toBe(202);
  const annDeadline = Date.now() + 15 * 60_000;
  let annState = "";
  while (Date.now() < annDeadline) {
    await settled();
    annState = (await h.request("GET", `/api/staff/announcements/${id}`, { headers: staff })).body.state;
    if (annState === "done") break;
    await new Promise((r) => setTimeout(r, 2_100));
    await h.cloud.scheduler.sweepNow();
  }
  faultsOn = false;
  expect(annState).toBe("done");
  const annCounts = sink.counts();
  const annLost = [...newsFollowers].filter((a) => !annCounts.has(a));
  const annDuplicates = [...annCounts].filter(([, n]) => n > 1);
  const annOutside = annDuplicates.filter(([a]) => !crash.windowRecipients.has(a));
  const annUnexpected = [...annCounts.keys()].filter((a) => !newsFollowers.has(a));
  Object.assign(figures, {
    announcement: {
      expected: newsFollowers.size,
      delivered: annCounts.size,
      lost: annLost.length,
      duplicates: annDuplicates.reduce((sum, [, n]) => sum + n - 1, 0),
      duplicatesInCrashWindow: annDuplicates.length - annOutside.length,
      duplicatesOutsideWindow: annOutside.length,
      unexpected: annUnexpected.length,
    },
  });
  figures.faults.crashesBeforeSend = crash.before;
  figures.faults.crashesAfterAccept = crash.afterAccept;
  figures.faults.writesLostToCrashes = crash.droppedWrites;
  figures.faults.dynamoWrites = proxy.injected().writes;
  figures.faults.dynamoThrottled = proxy.injected().throttled;
  figures.faults.dynamoTimedOutAfterWrite = proxy.injected().timedOutAfterWrite;
  figures.seconds = Math.round((performance.now() - started) / 100) / 10;
  mkdirSync("test-results/reliability", { recursive: true });
  writeFileSync("test-results/reliability/faults.json", JSON.stringify(figures, null, 2));
  expect(annLost).toEqual([]);
  expect(annOutside, "announcement duplicates outside the crash window").toEqual([]);
  expect(annUnexpected).toEqual([]);
  // The faults really happened.
  expect(figures.faults.sesThrottled).toBeGreaterThan(0);
  expect(crash.before + crash.afterAccept).toBeGreaterThan(0);
  expect(figures.faults.dynamoThrottled).toBeGreaterThan(0);
}, 1_200_000);
