import { signWebhook } from "../../packages/functions/src/lib/webhook-signature";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSesSink, type SesSink } from "../../packages/local/src/ses-sink";
import { expectedRecipients, seedSubscribers, syntheticContent, syntheticSubscribers } from "../../bench/lib/stack";
import { freePorts, startLocalProcess, type LocalProcess } from "./local-process";

/**
 * Durability: `npm start` is killed with SIGKILL in the middle of a digest run, then started again
 * on the same data folder. Nothing it started may outlive it (DynamoDB Local must let go of its
 * port), and the run must resume through the outbox's sweeper: nobody lost, nobody emailed twice
 * outside the documented crash window (the batches in flight at the kill).
 */
const RECIPIENTS = Number(process.env.DURABILITY_RECIPIENTS ?? 3000);

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

let sink: SesSink;
let dataDir: string;
let second: LocalProcess | undefined;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "mm-durability-"));
  // The counting SES endpoint lives in this process, so it sees both lives of the stack.
  sink = await startSesSink({});
});
afterAll(async () => {
  second?.child.kill("SIGTERM");
  await second?.exited;
  await sink?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it(`resumes a ${RECIPIENTS.toLocaleString("en")}-recipient digest after SIGKILL, losing nobody and sending nobody a second copy`, async () => {
  const ports = await freePorts();
  // A slow send rate, so the kill lands mid-run; a short lease, so the second life need not wait long.
  const env = { SES_FORWARD_URL: sink.url, SEND_RATE_PER_SECOND: "100", SENDER_LEASE_SECONDS: "5" };
  const first = await startLocalProcess({ dataDir, ports, env });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: `http://127.0.0.1:${ports.dynamodb}`, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }));

  const subscribers = syntheticSubscribers(RECIPIENTS, 77);
  await seedSubscribers(doc, "mission-mail-local", subscribers);
  doc.destroy();
  const items = syntheticContent(20, 77);
  for (const item of items) {
    const body = JSON.stringify({ type: "content.published", item });
    const res = await fetch(`${first.site}/webhooks/content`, { method: "POST", body, headers: { "content-type": "application/json", ...signWebhook(body, first.secrets.WEBHOOK_SECRET!, Date.now()) } });
    expect(res.status).toBe(202);
  }
  const expected = expectedRecipients(subscribers, items);
  await new Promise((r) => setTimeout(r, 3_000));
  sink.reset();

  const staff = { authorization: `Bearer ${first.secrets.STAFF_TOKEN}`, "content-type": "application/json" };
  const started = await fetch(`${first.site}/api/staff/digests/run`, { method: "POST", headers: staff, body: JSON.stringify({ cadence: "weekly" }) });
  const { runId } = (await started.json()) as { runId: string };
  // Kill it once planning is done and part of the digest is out.
  const deadline = Date.now() + 5 * 60_000;
  let before = 0;
  for (;;) {
    const run = (await (await fetch(`${first.site}/api/staff/runs/${runId}`, { headers: staff })).json()) as { state: string; sent: number };
    before = sink.total();
    if (run.state === "sending" && before >= expected.size * 0.2 && before <= expected.size * 0.8) break;
    if (Date.now() > deadline || run.state === "done") throw new Error(`could not catch the run mid-send (state ${run.state}, ${before} sent)`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const killedAt = Date.now();
  first.child.kill("SIGKILL");
  await first.exited;
  const atKill = sink.total();

  // Nothing it started outlives it: DynamoDB Local lets go of its port (its watchdog sees the parent die).
  let freedAfterMs = -1;
  for (let waited = 0; waited < 15_000; waited += 100) {
    if ((await portIsFree(ports.dynamodb)) && (await portIsFree(ports.http)) && (await portIsFree(ports.mailbox))) {
      freedAfterMs = Date.now() - killedAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(freedAfterMs, "the ports were still held 15 s after the kill").toBeGreaterThanOrEqual(0);

  // The second life: same data, same ports. Its sweeper (every minute) picks up the unfinished batches.
  second = await startLocalProcess({ dataDir, ports, env });
  const restartedAt = Date.now();
  const resumeDeadline = Date.now() + 6 * 60_000;
  let state = "";
  while (Date.now() < resumeDeadline) {
    const run = (await (await fetch(`${second.site}/api/staff/runs/${runId}`, { headers: staff })).json()) as { state: string };
    state = run.state;
    if (state === "done") break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  expect(state).toBe("done");

  const counts = sink.counts();
  const lost = [...expected].filter((a) => !counts.has(a));
  const duplicates = [...counts].filter(([, n]) => n > 1);
  const figures = {
    recipients: RECIPIENTS,
    expected: expected.size,
    sentBeforeKill: atKill,
    portsFreedAfterMs: freedAfterMs,
    resumedInSeconds: Math.round((Date.now() - restartedAt) / 1000),
    delivered: counts.size,
    lost: lost.length,
    duplicates: duplicates.length,
  };
  mkdirSync("test-results/reliability", { recursive: true });
  writeFileSync("test-results/reliability/durability.json", JSON.stringify(figures, null, 2));
  expect(lost).toEqual([]);
  // At most the batches that were in flight at the kill (2 senders × one batch of 50) may repeat.
  expect(duplicates.length).toBeLessThanOrEqual(100);
}, 1_200_000);
