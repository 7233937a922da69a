import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePorts, startLocalProcess, type LocalProcess } from "./local-process";

/**
 * Load: `LOAD_RATE` sign-ups a second (200) for `LOAD_SECONDS` (60) against `npm start`, from many
 * client addresses through X-Forwarded-For, which only this configuration trusts (TRUST_PROXY). The
 * confirmation emails queue behind the paced sender (14 a second); the API must stay fast, answer
 * nothing but 202 (or the intended 429), and store every accepted sign-up exactly once.
 */
const RATE = Number(process.env.LOAD_RATE ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);

let stack: LocalProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "mm-load-"));
  stack = await startLocalProcess({ dataDir, ports: await freePorts(), env: { TRUST_PROXY: "true" } });
});
afterAll(async () => {
  stack?.child.kill("SIGTERM");
  await stack?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

it(`takes ${RATE} sign-ups a second for ${SECONDS} s with low latency and stores each accepted one once`, async () => {
  let n = 0;
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: stack.site,
    connections: 64,
    overallRate: RATE,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        path: "/api/subscriptions",
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            headers: { "content-type": "application/json", "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
            body: JSON.stringify({ email: `load-${i}@example.org`, language: i % 2 ? "sv" : "en", missions: ["food-system"], topics: ["seminar"], cadence: "weekly", consent: { newsletter: true, policyVersion: "2026-11" } }),
          };
        },
        onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });

  const accepted = statuses.get(202) ?? 0;
  const rateLimited = statuses.get(429) ?? 0;
  const other = [...statuses].filter(([s]) => s !== 202 && s !== 429).reduce((sum, [, c]) => sum + c, 0);

  // Every accepted sign-up is stored once: one pending profile and one address lookup per address.
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: `http://127.0.0.1:${stack.ports.dynamodb}`, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }));
  const storedProfiles = async () => {
    const found: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: "mission-mail-local", FilterExpression: "SK = :p AND begins_with(email, :load)", ExpressionAttributeValues: { ":p": "PROFILE", ":load": "load-" }, ProjectionExpression: "email", ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) found.push(item.email as string);
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  };
  // The sign-up worker decides the requests after their answers: wait until it has caught up (the
  // count stops growing and covers every accepted sign-up), for at most three minutes.
  let profiles = await storedProfiles();
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 2_000));
    const now = await storedProfiles();
    const settled = now.length === profiles.length && now.length >= accepted;
    profiles = now;
    if (settled) break;
  }
  doc.destroy();
  const distinct = new Set(profiles).size;

  const figures = {
    targetRate: RATE,
    seconds: SECONDS,
    requests: result.requests.total,
    achievedRate: Math.round((result.requests.total / SECONDS) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    accepted,
    rateLimited,
    errors: other + result.errors + result.timeouts,
    stored: profiles.length,
    storedDistinct: distinct,
    sent: n,
  };
  mkdirSync("test-results/reliability", { recursive: true });
  writeFileSync("test-results/reliability/load.json", JSON.stringify(figures, null, 2));

  // Correctness only: the rate reached and the latencies are figures for RELIABILITY.md, not assertions.
  expect(figures.errors, JSON.stringify(figures)).toBe(0);
  // Requests still in flight when the load stopped were answered after it and stored too.
  expect(profiles.length).toBeGreaterThanOrEqual(accepted);
  expect(profiles.length).toBeLessThanOrEqual(n);
  expect(distinct, "a sign-up stored twice").toBe(profiles.length);
}, 900_000);
