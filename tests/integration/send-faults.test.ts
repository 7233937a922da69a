import { afterAll, beforeAll, expect, it } from "vitest";
import { documentClient } from "../../packages/core/src/platform/dynamo";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { startSesSink, type SesSink } from "../../packages/local/src/ses-sink";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
let sink: SesSink;
beforeAll(async () => {
  // SES emulators never throttle, so a fault layer sits in front of the mailbox: 30% of calls are
  // throttled, 5% fail with a 5xx, and more than 60 recipients a second are refused.
  h = await startHarness(
    { SEND_RATE_PER_SECOND: "1000", RATE_LIMIT_PER_IP: "1000" },
    {
      delayScale: 0.02,
      sesEndpoint: async (mailbox) => {
        // A fixed, repeating sequence instead of Math.random: the faults are the same on every run.
        const draws = [0.05, 0.7, 0.9, 0.02, 0.5, 0.2, 0.8, 0.6, 0.03, 0.95, 0.4];
        let n = 0;
        const random = () => draws[n++ % draws.length]!;
        sink = await startSesSink({ throttleFraction: 0.3, failFraction: 0.05, maxPerSecond: 60, forwardTo: mailbox, random });
        return sink.url;
      },
    },
  );
});
afterAll(async () => {
  await h?.stop();
  await sink?.close();
});

const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const DAY = 86_400_000;

it("backs off on throttling and server errors and delivers every digest exactly once", async () => {
  const people: string[] = [];
  for (let i = 0; i < 30; i++) people.push(await h.subscribe({ language: i % 2 ? "sv" : "en", missions: ["mobility"], topics: ["seminar"], cadence: "weekly" }));
  const start = new Date(Date.now() + 5 * DAY);
  await h.publish({
    type: "content.published",
    item: { id: "fault-seminar", version: 1, kind: "seminar", missions: ["mobility"], language: "sv", title: "Resor i vardagen", summary: "Om mobilitet.", url: "https://missions.example.org/m", publishedAt: new Date().toISOString(), startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), location: "Umeå" },
  });
  await h.idle();
  sink.reset();

  const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "weekly" }, headers: staff });
  await h.idle();
  const run = (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: staff })).body;
  expect(run).toMatchObject({ state: "done", planned: 30, sent: 30, failed: 0 });

  const calls = sink.calls();
  expect(calls.throttled + calls.failed).toBeGreaterThan(0);
  const mailbox = await h.mailbox();
  for (const person of people) {
    expect(mailbox.filter((m) => m.destination.to.includes(person) && /Resor i vardagen/.test(m.body.text ?? ""))).toHaveLength(1);
  }
  expect(h.cloud.sendQueue.deadLetters).toHaveLength(0);
});

it("sends a batch whose sender died holding the lease once the sweeper finds it, and only once", async () => {
  const person = await h.subscribe({ language: "sv", missions: ["societal-contract"], topics: ["seminar"], cadence: "monthly" });
  const start = new Date(Date.now() + 5 * DAY);
  await h.publish({
    type: "content.published",
    item: { id: "sweep-seminar", version: 1, kind: "seminar", missions: ["societal-contract"], language: "sv", title: "Tillit i samhället", summary: "Om tillit.", url: "https://missions.example.org/t", publishedAt: new Date().toISOString(), startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), location: "Luleå" },
  });
  await h.idle();

  // Plan, then let a sender "crash" right after leasing the batch: its lease is held, nothing is sent.
  h.cloud.sendQueue.pause();
  const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence: "monthly" }, headers: staff });
  await h.cloud.planQueue.idle();
  const { campaign } = (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: staff })).body;
  const outbox = new DynamoOutbox(documentClient({ region: "eu-north-1", endpoint: h.cloud.urls.dynamodb }), h.cloud.tableName);
  const leased = await outbox.leaseBatch(campaign, 1, "crashed-sender", Date.now(), Date.now() + 300);
  expect("leased" in leased).toBe(true);

  // The queued pointer arrives while the dead sender's lease holds: it must not send.
  h.cloud.sendQueue.resume();
  await h.idle();
  const sent = () => h.mailTo(person).then((m) => m.filter((x) => /Tillit i samhället/.test(x.body.text ?? "")));
  expect(await sent()).toHaveLength(0);

  // After the lease expires, the sweeper enqueues the batch again and it goes out once.
  await new Promise((r) => setTimeout(r, 400));
  await h.cloud.scheduler.sweepNow();
  await h.idle();
  await h.cloud.scheduler.sweepNow();
  await h.idle();
  expect(await sent()).toHaveLength(1);
  const status = (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: staff })).body;
  expect(status).toMatchObject({ state: "done", sent: 1 });
});
