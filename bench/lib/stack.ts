import { randomBytes } from "node:crypto";
import { signWebhook } from "../../packages/functions/src/lib/webhook-signature";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { startLocalCloud, type LocalCloud } from "@mission-mail/local/cloud";
import { startSesSink, type SesSink, type SesSinkOptions } from "@mission-mail/local/ses-sink";
import { freePort } from "@mission-mail/local/ports";
import { SEED_MISSIONS } from "@mission-mail/core/missions/catalogue";
import { addressHmac } from "@mission-mail/core/shared/email-address";
import { fanoutIndexKey, membershipKey, subscriberKey } from "@mission-mail/core/platform/table-keys";
import { readCampaignBatches } from "@mission-mail/core/platform/dynamo";
import type { ContentItem } from "@mission-mail/core/content/schema";
import type { Language, Topic } from "@mission-mail/core/shared/vocabulary";
import { nextDigestRun, periodStart, previousPeriod, digestPeriod } from "@mission-mail/core/digest/calendar";
import { progress } from "./progress";
import { sample, seededRandom } from "./stats";

export const BENCH_SECRETS = {
  TOKEN_KEYS: "bench-token-key-current-0000,bench-token-key-previous-000",
  ADDRESS_PEPPER: "bench-address-pepper-000000",
  IP_SALT: "bench-ip-salt-00000000000000",
  WEBHOOK_SECRET: "bench-webhook-secret-0000000",
  STAFF_TOKEN: "bench-staff-token-0000000000",
};

export const MISSION_IDS = SEED_MISSIONS.map((m) => m.id);
const TOPICS: Topic[] = ["seminar", "publication", "news"];

export interface BenchStack {
  cloud: LocalCloud;
  sink: SesSink;
  doc: DynamoDBDocumentClient;
  storage: "disk" | "memory";
  request(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  staff(method: string, path: string, json?: unknown): Promise<{ status: number; body: any }>;
  publish(event: unknown): Promise<{ status: number; body: any }>;
  /** Peak resident memory and CPU seconds of the DynamoDB Local JVM so far, if it can be found. */
  dynamoProcess(): { maxRssMB: number; cpuSeconds: number } | undefined;
  stop(): Promise<void>;
}

/**
 * The local stack as `npm start` runs it (DynamoDB Local on disk in a fresh temporary directory, the
 * in-process queues and handlers), with the counting SES sink in place of the mailbox.
 */
export async function startBenchStack(options: { env: Record<string, string>; sink?: SesSinkOptions; storage?: "disk" | "memory" }): Promise<BenchStack> {
  const storage = options.storage ?? "disk";
  const sink = await startSesSink(options.sink ?? {});
  const dataDir = storage === "disk" ? mkdtempSync(join(tmpdir(), "mission-mail-bench-ddb-")) : undefined;
  const dynamodbPort = await freePort();
  const cloud = await startLocalCloud({
    httpPort: await freePort(),
    mailboxPort: await freePort(),
    dynamodbPort,
    ...(dataDir ? { dataDir } : {}),
    tableName: "mission-mail-bench",
    secrets: BENCH_SECRETS,
    env: { ...options.env },
    retryDelayMs: 1_000,
    sesEndpoint: () => sink.url,
  });
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 10 }),
  );
  const request = async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${cloud.urls.site}${path}`, {
      method,
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...(json !== undefined ? { body: typeof json === "string" ? json : JSON.stringify(json) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  };
  const jvm = findJvm(dynamodbPort);
  return {
    cloud,
    sink,
    doc,
    storage,
    request,
    staff: (method, path, json) => request(method, path, json, { authorization: `Bearer ${BENCH_SECRETS.STAFF_TOKEN}` }),
    publish: (event) => {
      const body = JSON.stringify(event);
      return request("POST", "/webhooks/content", body, signWebhook(body, BENCH_SECRETS.WEBHOOK_SECRET, Date.now()));
    },
    dynamoProcess: () => (jvm ? jvmFigures(jvm) : undefined),
    async stop() {
      doc.destroy();
      await cloud.stop();
      await sink.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The pid of the DynamoDB Local JVM listening on `port` (Linux /proc), to read its memory and CPU. */
function findJvm(port: number): number | undefined {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      } catch {
        continue;
      }
      const args = cmdline.split("\0");
      if (args[0]?.endsWith("java") && args.some((a) => a.endsWith("DynamoDBLocal.jar")) && args[args.indexOf("-port") + 1] === String(port)) return Number(entry);
    }
  } catch {
    /* no /proc */
  }
  return undefined;
}

function jvmFigures(pid: number): { maxRssMB: number; cpuSeconds: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { maxRssMB: Math.round(hwm / 1024), cpuSeconds: ticks / 100 };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Synthetic subscribers.

export interface SyntheticSubscriber {
  id: string;
  email: string;
  language: Language;
  missions: string[];
  topics: Topic[];
}

/**
 * `mixed`: random subsets of the five missions (one mission for half of them, two, three or all
 * five for the rest) and of the three topics, sv or en. `one-topic`: one random mission, seminars
 * only, so a campaign has few variants (for the rate test, where planning is not the point).
 */
export function syntheticSubscribers(count: number, seed: number, shape: "mixed" | "one-topic" = "mixed"): SyntheticSubscriber[] {
  const random = seededRandom(seed);
  const out: SyntheticSubscriber[] = [];
  const tag = randomBytes(2).toString("hex").toUpperCase();
  for (let i = 0; i < count; i++) {
    const language: Language = random() < 0.6 ? "sv" : "en";
    let missions: string[];
    let topics: Topic[];
    if (shape === "one-topic") {
      missions = sample(MISSION_IDS, 1, random);
      topics = ["seminar"];
    } else {
      const r = random();
      missions = sample(MISSION_IDS, r < 0.5 ? 1 : r < 0.8 ? 2 : r < 0.95 ? 3 : 5, random);
      topics = TOPICS.filter(() => random() < 0.55);
      if (topics.length === 0) topics = [TOPICS[Math.floor(random() * TOPICS.length)]!];
    }
    // 26 characters, like the ulids the app uses, so tokens and keys have their real length.
    const id = `01JB${tag}${String(i).padStart(18, "0")}`;
    out.push({ id, email: `bench-${i}@example.org`, language, missions, topics });
  }
  return out;
}

/**
 * Writes active subscribers straight into the table with BatchWriteItem: the profile and the
 * membership items with their fan-out keys, in the shapes `activate` writes. Address items and the
 * consent ledger are not needed for sending. This is setup, not part of any measurement.
 */
export async function seedSubscribers(doc: DynamoDBDocumentClient, table: string, subscribers: SyntheticSubscriber[], cadence: "weekly" | "monthly" = "weekly", concurrency = 16) {
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (const s of subscribers) {
    items.push({
      ...subscriberKey(s.id),
      type: "subscriber",
      subscriberId: s.id,
      email: s.email,
      addressHmac: addressHmac(s.email, BENCH_SECRETS.ADDRESS_PEPPER),
      status: "active",
      policyVersion: "2026-11",
      createdAt: now,
      confirmedAt: now,
      language: s.language,
      missions: s.missions,
      topics: s.topics,
      cadence,
      tracking: false,
    });
    for (const m of s.missions) {
      for (const t of s.topics) {
        items.push({ ...membershipKey(s.id, m, t), ...fanoutIndexKey(m, t, cadence, s.id), type: "membership", subscriberId: s.id, language: s.language });
      }
    }
  }
  const bar = progress(`seeding ${subscribers.length.toLocaleString("en")} subscribers`, items.length);
  const started = performance.now();
  let next = 0;
  let written = 0;
  const worker = async () => {
    while (next < items.length) {
      const part = items.slice(next, next + 25);
      next += 25;
      let request: Record<string, unknown[]> | undefined = { [table]: part.map((Item) => ({ PutRequest: { Item } })) };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const out = await doc.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = out.UnprocessedItems as typeof request;
      }
      written += part.length;
      bar.update(written);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  bar.done(`(${Math.round(items.length / seconds).toLocaleString("en")} items/s)`);
  return { items: items.length, seconds, itemsPerSecond: items.length / seconds };
}

// ---------------------------------------------------------------------------------------------------
// Synthetic content.

const DAY = 86_400_000;
const WORDS = "innovation mission system food health mobility city transition data climate society research programme policy citizens region energy circular future learning".split(" ");

function words(random: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
}

/**
 * `count` content items across the five missions: seminars (starting in 2–30 days), publications and
 * news (published in the last three days, so inside this week's digest window). Items carry one or
 * two missions. News only goes to some missions, so some subscribers get an empty digest and are
 * skipped, as in life.
 */
export function syntheticContent(count: number, seed: number, nowMs = Date.now()): ContentItem[] {
  const random = seededRandom(seed);
  const since = nextDigestRun("weekly", periodStart(previousPeriod(digestPeriod("weekly", nowMs))) - 1);
  const newsMissions = MISSION_IDS.slice(0, 3);
  const items: ContentItem[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const kind = r < 0.4 ? "seminar" : r < 0.8 ? "publication" : "news";
    const pool = kind === "news" ? newsMissions : MISSION_IDS;
    const missions = sample(pool, random() < 0.8 ? 1 : 2, random);
    const language: Language = random() < 0.6 ? "sv" : "en";
    const publishedAt = new Date(Math.max(since + 60_000, nowMs - Math.floor(random() * 3 * DAY) - 60_000)).toISOString();
    const base = {
      id: `bench-${kind}-${i}`,
      version: 1,
      missions,
      language,
      title: `${words(random, 6)} ${i}`.replace(/^./, (c) => c.toUpperCase()),
      summary: `${words(random, 40)}.`,
      url: `https://missions.example.org/${kind}/${i}`,
      publishedAt,
    };
    if (kind === "seminar") {
      const start = new Date(nowMs + (2 + Math.floor(random() * 28)) * DAY);
      start.setUTCHours(8 + Math.floor(random() * 6), 0, 0, 0);
      items.push({ ...base, kind, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(), location: "Stockholm", registrationUrl: `https://missions.example.org/${kind}/${i}/register` });
    } else {
      items.push({ ...base, kind });
    }
  }
  return items;
}

/** Who should get this digest: subscribers with at least one item for one of their missions × topics. */
export function expectedRecipients(subscribers: SyntheticSubscriber[], items: ContentItem[]): Set<string> {
  const covered = new Set<string>();
  for (const item of items) for (const m of item.missions) covered.add(`${m}#${item.kind}`);
  const out = new Set<string>();
  for (const s of subscribers) if (s.missions.some((m) => s.topics.some((t) => covered.has(`${m}#${t}`)))) out.add(s.email);
  return out;
}

/** Publishes items through the signed webhook, as the CMS would, and waits for everything they cause. */
export async function publishContent(stack: BenchStack, items: ContentItem[]): Promise<number> {
  const started = performance.now();
  const bar = progress(`publishing ${items.length} items (webhook)`, items.length);
  let n = 0;
  for (const item of items) {
    const res = await stack.publish({ type: "content.published", item });
    if (res.status !== 202) throw new Error(`webhook refused ${item.id}: ${JSON.stringify(res.body)}`);
    bar.update(++n);
  }
  await stack.cloud.idle();
  bar.done();
  return (performance.now() - started) / 1000;
}

/** Deletes a campaign's partition (header, variants, batches) so the same period can be sent again. */
export async function deleteCampaign(doc: DynamoDBDocumentClient, table: string, campaign: string): Promise<void> {
  let start: Record<string, unknown> | undefined;
  // The batches have partitions of their own, found by number from the header, which goes last.
  const keys = (await readCampaignBatches(doc, table, campaign, ["PK", "SK"])).items as { PK: string; SK: string }[];
  do {
    const page = await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `CAMPAIGN#${campaign}` }, ProjectionExpression: "PK, SK", ExclusiveStartKey: start }));
    keys.push(...((page.Items ?? []) as { PK: string; SK: string }[]));
    start = page.LastEvaluatedKey;
  } while (start);
  for (let i = 0; i < keys.length; i += 25) {
    let request: Record<string, unknown[]> | undefined = { [table]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) };
    while (request && Object.keys(request).length) request = (await doc.send(new BatchWriteCommand({ RequestItems: request as never }))).UnprocessedItems as typeof request;
  }
}
