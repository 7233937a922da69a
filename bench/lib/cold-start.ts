/**
 * A cold start as a Lambda function meets it, approximately: a fresh Node process imports the
 * function's bundle (Lambda's init) and then invokes its handler once with a representative event
 * (the first request), against the local stack: DynamoDB Local in memory, the counting SES sink, and
 * a stand-in for the SQS and EventBridge endpoints that accepts every message. Import and first
 * invocation are timed separately, in the same process.
 *
 * Which event is representative is decided here, per function, from where its handler lives: an
 * HTTP function gets a request for one of its audience's routes (from the route table), a queue
 * consumer an SQS batch of one job, an EventBridge target its event, a schedule its tick. A function
 * this file does not know yet still gets an event of its kind (an empty SQS batch, a scheduled
 * event), and the report says so.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startDynamoDbLocal } from "@mission-mail/local/dynamodb-local";
import { ensureTable, seedMissions } from "@mission-mail/local/table";
import { startSesSink, type SesSink } from "@mission-mail/local/ses-sink";
import { freePort } from "@mission-mail/local/ports";
import { generateStaffSigningKey, localStaffVerifierEnv, signStaffToken } from "@mission-mail/local/staff-issuer";
import { issueToken } from "@mission-mail/core/shared/tokens";
import { CONTENT_SOURCE } from "@mission-mail/core/content/schema";
import { SES_SOURCE } from "@mission-mail/core/feedback/ses-event";
import { ROUTES, routeKey, type RouteSpec } from "../../packages/functions/src/routes";
import { signWebhook } from "../../packages/functions/src/lib/webhook-signature";
import { BENCH_SECRETS, MISSION_IDS, seedSubscribers, syntheticSubscribers } from "./stack";

/** What one fresh process measured: the import, the first invocation, and what the invocation answered. */
export interface FirstInvocation {
  importMs: number;
  invokeMs: number;
  /** The handler's answer, briefly: "HTTP 200", "0 of 1 records failed", or the error it threw. */
  outcome: string;
  /** Whether the answer is the one the event should get (a 2xx, no failed records, no error). */
  ok: boolean;
}

/** Messages the first invocation put on queues, events it put on the bus, and emails it sent. */
export interface AwsCalls {
  sqsMessages: number;
  events: number;
  sesSends: number;
}

/** One measured cold start: the timings, the event it got, and the AWS calls the invocation made. */
export interface ColdStartRun extends FirstInvocation {
  label: string;
  calls: AwsCalls;
}

/** A representative first event for a function, made fresh for every run (new ids, a fresh signature). */
export interface ColdStartEvent {
  /** What the event is, for the report: "GET /missions", "SQS: 1 welcome mail job". */
  label: string;
  event: unknown;
}

export interface ColdStartStack {
  /** The functions' configuration: the local stack's, as `npm start` gives its handlers. */
  env: Record<string, string>;
  /** A representative event for the function whose handler is `handler` (a path under packages/functions/src). */
  eventFor(handler: string): Promise<ColdStartEvent>;
  /** Calls the stand-ins answered so far (SQS messages, events put, SES sends). */
  calls(): AwsCalls;
  /** One cold start of the bundle at `file` (the function `handler`): a fresh event, a fresh process, and the AWS calls it made. */
  invoke(handler: string, file: string): Promise<ColdStartRun>;
  stop(): Promise<void>;
}

/** The route an HTTP function's first request goes to, by audience; an audience not named here gets its first GET without path parameters. */
const FIRST_ROUTE: Record<string, string> = {
  public: "GET /missions",
  subscriber: "GET /api/preferences",
  webhook: "POST /webhooks/content",
  staff: "GET /api/staff/missions",
};

/** The route a request to an audience's function is for (exported for the tests). */
export function firstRoute(audience: string, routes: readonly RouteSpec[] = ROUTES): RouteSpec | undefined {
  const mine = routes.filter((r) => r.audience === audience);
  const named = FIRST_ROUTE[audience];
  return (named ? mine.find((r) => routeKey(r) === named) : undefined) ?? mine.find((r) => r.method === "GET" && !r.path.includes("{")) ?? mine[0];
}

/** An API Gateway HTTP API (payload 2.0) event, as the function receives it. */
export function httpEvent(route: Pick<RouteSpec, "method" | "path">, options: { query?: Record<string, string>; headers?: Record<string, string>; body?: string } = {}) {
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: "2.0",
    routeKey: routeKey(route),
    rawPath: route.path,
    rawQueryString,
    headers: { host: "missions.example.org", "x-forwarded-proto": "https", accept: "text/html,application/json", ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.body !== undefined ? { body: options.body, isBase64Encoded: false } : { isBase64Encoded: false }),
    requestContext: {
      accountId: "123456789012",
      apiId: "coldstart",
      domainName: "missions.example.org",
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      http: { method: route.method, path: route.path, protocol: "HTTP/1.1", sourceIp: "192.0.2.10", userAgent: "coldstart-bench" },
    },
  };
}

/** An SQS event of one message with `body` (JSON), as the event source mapping delivers it. */
export function sqsEvent(queue: string, bodies: unknown[]) {
  return {
    Records: bodies.map((body) => ({
      messageId: randomUUID(),
      receiptHandle: randomBytes(16).toString("hex"),
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "AIDACOLDSTART", ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: createHash("md5").update(JSON.stringify(body)).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:eu-north-1:123456789012:${queue}`,
      awsRegion: "eu-north-1",
    })),
  };
}

/** An EventBridge event as a rule target receives it. */
export function busEvent(source: string, detailType: string, detail: unknown) {
  return { version: "0", id: randomUUID(), "detail-type": detailType, source, account: "123456789012", time: new Date().toISOString(), region: "eu-north-1", resources: [], detail };
}

/** A content item the CMS could publish, new for every run (a first version alerts once). */
function contentItem(missionId: string) {
  const n = randomBytes(4).toString("hex");
  return {
    id: `coldstart-${n}`,
    version: 1,
    kind: "news",
    missions: [missionId],
    language: "sv",
    title: `Nyhet ${n}`,
    summary: "En kort sammanfattning av nyheten.",
    url: `https://missions.example.org/news/${n}`,
    publishedAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

/**
 * A stand-in for the SQS (JSON 1.0) and EventBridge (JSON 1.1) endpoints: it accepts every
 * SendMessage, SendMessageBatch and PutEvents and counts them. The functions only send to these.
 */
async function startAwsStandIn(): Promise<{ url: string; counts: { sqsMessages: number; events: number }; server: Server }> {
  const counts = { sqsMessages: 0, events: 0 };
  const md5 = (s: string) => createHash("md5").update(s).digest("hex");
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
      let answer: unknown;
      if (target === "AmazonSQS.SendMessage") {
        counts.sqsMessages++;
        answer = { MessageId: randomUUID(), MD5OfMessageBody: md5(body.MessageBody) };
      } else if (target === "AmazonSQS.SendMessageBatch") {
        const entries = body.Entries as { Id: string; MessageBody: string }[];
        counts.sqsMessages += entries.length;
        answer = { Successful: entries.map((e) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] };
      } else if (target === "AWSEvents.PutEvents") {
        const entries = body.Entries as unknown[];
        counts.events += entries.length;
        answer = { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
      } else {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        return res.end(JSON.stringify({ __type: "UnknownOperationException", message: `The cold-start stand-in does not answer ${target || req.url}` }));
      }
      res.writeHead(200, { "content-type": target.startsWith("AWSEvents") ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0" });
      res.end(JSON.stringify(answer));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${port}`, counts, server };
}

/** DynamoDB Local, tried three times: on a busy machine the JVM can take longer than its 30 s to answer. */
async function startDynamoDb(attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamoDbLocal({ port: await freePort() });
    } catch (err) {
      if (attempt >= attempts) throw err;
      process.stderr.write(`  DynamoDB Local did not start (${(err as Error).message}); trying again\n`);
    }
  }
}

/** Starts the local stack the first invocations run against, with one active subscriber and the seed missions. */
export async function startColdStartStack(): Promise<ColdStartStack> {
  const tableName = "mission-mail-coldstart";
  const ddb = await startDynamoDb();
  const stops: (() => Promise<unknown>)[] = [() => ddb.stop()];
  try {
    const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    await ensureTable(client, tableName);
    await seedMissions(client, tableName);
    const doc = DynamoDBDocumentClient.from(client);
    const [subscriber] = syntheticSubscribers(1, 17);
    await seedSubscribers(doc, tableName, [subscriber!]);
    client.destroy();
    const sink: SesSink = await startSesSink();
    stops.push(() => sink.close());
    const aws = await startAwsStandIn();
    stops.push(() => new Promise((r) => aws.server.close(r)));
    const staffKey = generateStaffSigningKey();
    const queue = (name: string) => `${aws.url}/123456789012/${name}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      MODE: "local",
      TABLE_NAME: tableName,
      AWS_REGION: "eu-north-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
      DYNAMODB_ENDPOINT: ddb.endpoint,
      SES_ENDPOINT: sink.url,
      SQS_ENDPOINT: aws.url,
      // The SDK's own setting for a service's endpoint: the event publisher takes no endpoint of ours.
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
      SEND_QUEUE_URL: queue("send"),
      SEND_DLQ_URL: queue("send-dlq"),
      PLAN_QUEUE_URL: queue("plan"),
      PLAN_DLQ_URL: queue("plan-dlq"),
      CONTENT_DLQ_URL: queue("content-dlq"),
      FEEDBACK_DLQ_URL: queue("feedback-dlq"),
      EVENT_BUS_NAME: "mission-mail-coldstart",
      PUBLIC_URL: "https://missions.example.org",
      MAIL_FROM: "Missions <news@missions.example.org>",
      UNSUBSCRIBE_MAILTO: "unsubscribe@missions.example.org",
      TOKEN_KEYS: BENCH_SECRETS.TOKEN_KEYS,
      ADDRESS_PEPPER: BENCH_SECRETS.ADDRESS_PEPPER,
      IP_SALT: BENCH_SECRETS.IP_SALT,
      WEBHOOK_SECRET: BENCH_SECRETS.WEBHOOK_SECRET,
      ...localStaffVerifierEnv(staffKey),
    };
    const tokenKeys = BENCH_SECRETS.TOKEN_KEYS.split(",");
    const missionId = subscriber!.missions[0] ?? MISSION_IDS[0]!;

    const eventFor = async (handler: string): Promise<ColdStartEvent> => {
      const [folder, name] = handler.split("/") as [string, string];
      if (folder === "http") {
        const route = firstRoute(name);
        if (!route) return { label: "no route", event: {} };
        const key = routeKey(route);
        if (key === "GET /api/preferences") {
          const token = issueToken(tokenKeys, "manage", subscriber!.id, Date.now());
          return { label: `${key} (a subscriber's manage token)`, event: httpEvent(route, { query: { token }, headers: { accept: "application/json" } }) };
        }
        if (key === "POST /webhooks/content") {
          const body = JSON.stringify({ type: "content.published", item: contentItem(missionId) });
          return { label: `${key} (signed, a new item)`, event: httpEvent(route, { body, headers: { "content-type": "application/json", ...signWebhook(body, BENCH_SECRETS.WEBHOOK_SECRET, Date.now()) } }) };
        }
        if (route.path.startsWith("/api/staff/")) {
          const token = await signStaffToken(staffKey, { email: "coldstart@example.org", groups: route.role === "publisher" ? ["staff", "publisher"] : ["staff"] });
          return { label: `${key} (a local issuer's staff token)`, event: httpEvent(route, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } }) };
        }
        return { label: key, event: httpEvent(route) };
      }
      if (handler === "queues/send-mail") {
        return { label: "SQS: 1 welcome mail job (sends 1 email)", event: sqsEvent("send", [{ kind: "welcome", subscriberId: subscriber!.id, requestId: randomUUID() }]) };
      }
      if (handler === "queues/plan") {
        return { label: "SQS: 1 weekly digest run", event: sqsEvent("plan", [{ kind: "plan-digest", cadence: "weekly", runId: `coldstart-${randomBytes(4).toString("hex")}` }]) };
      }
      if (handler === "events/content") {
        return { label: "EventBridge: content.published, a new item", event: busEvent(CONTENT_SOURCE, "content.published", contentItem(missionId)) };
      }
      if (handler === "events/ses-feedback") {
        const now = new Date().toISOString();
        const detail = { eventType: "Delivery", mail: { timestamp: now, messageId: randomUUID(), destination: [subscriber!.email], tags: { "ses:configuration-set": ["coldstart"] } }, delivery: { timestamp: now, recipients: [subscriber!.email], smtpResponse: "250 2.0.0 OK" } };
        return { label: "EventBridge: SES Email Delivered", event: busEvent(SES_SOURCE, "Email Delivered", detail) };
      }
      if (folder === "schedules") return { label: "scheduled event", event: busEvent("aws.events", "Scheduled Event", {}) };
      if (folder === "queues") return { label: "SQS: an empty batch (no representative job known)", event: { Records: [] } };
      return { label: "an empty event (no representative event known)", event: {} };
    };

    const calls = (): AwsCalls => ({ sqsMessages: aws.counts.sqsMessages, events: aws.counts.events, sesSends: sink.calls().sendEmail + sink.calls().bulk });
    return {
      env,
      eventFor,
      calls,
      async invoke(handler, file) {
        const { label, event } = await eventFor(handler);
        const before = calls();
        const measured = await timeFirstInvocation(file, event, env);
        const after = calls();
        return { ...measured, label, calls: { sqsMessages: after.sqsMessages - before.sqsMessages, events: after.events - before.events, sesSends: after.sesSends - before.sesSends } };
      },
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

/** The child: imports the bundle, then invokes its handler once, timing each; the result is the line after the marker. */
const CHILD = `
const [file, eventJson] = process.argv.slice(1);
const event = JSON.parse(eventJson);
const context = { functionName: "coldstart", functionVersion: "$LATEST", invokedFunctionArn: "arn:aws:lambda:eu-north-1:123456789012:function:coldstart", memoryLimitInMB: "1024", awsRequestId: crypto.randomUUID(), logGroupName: "/aws/lambda/coldstart", logStreamName: "coldstart", callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 30000, done() {}, fail() {}, succeed() {} };
const t0 = performance.now();
const mod = await import(file);
const t1 = performance.now();
let result, error;
try { result = await mod.handler(event, context); } catch (err) { error = String(err && err.message || err); }
const t2 = performance.now();
const brief = result && typeof result === "object" ? { statusCode: result.statusCode, batchItemFailures: result.batchItemFailures } : undefined;
process.stdout.write("\\n${"@@cold-start@@"}" + JSON.stringify({ importMs: t1 - t0, invokeMs: t2 - t1, result: brief, error }) + "\\n");
process.exit(0);
`;

/** What a handler answered, briefly, and whether it is what the event should get. */
export function describeOutcome(result: unknown, error: string | undefined): { outcome: string; ok: boolean } {
  if (error !== undefined) return { outcome: `threw: ${error.slice(0, 120)}`, ok: false };
  if (result && typeof result === "object") {
    const r = result as { statusCode?: unknown; batchItemFailures?: unknown[] };
    if (typeof r.statusCode === "number") return { outcome: `HTTP ${r.statusCode}`, ok: r.statusCode >= 200 && r.statusCode < 300 };
    if (Array.isArray(r.batchItemFailures)) return { outcome: r.batchItemFailures.length ? `${r.batchItemFailures.length} record(s) failed` : "no failed records", ok: r.batchItemFailures.length === 0 };
  }
  return { outcome: "done", ok: true };
}

/** Imports the bundle at `file` in a fresh Node process with `env`, and invokes its handler with `event`. */
export function timeFirstInvocation(file: string, event: unknown, env: Record<string, string>): Promise<FirstInvocation> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", CHILD, pathToFileURL(file).href, JSON.stringify(event)], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const line = stdout.split("\n").find((l) => l.startsWith("@@cold-start@@"));
      if (!line) return reject(new Error(`No measurement from ${file}${err ? `: ${err.message}` : ""}\n${stderr.slice(-2000)}`));
      const m = JSON.parse(line.slice("@@cold-start@@".length)) as { importMs: number; invokeMs: number; result: unknown; error?: string };
      resolve({ importMs: m.importMs, invokeMs: m.invokeMs, ...describeOutcome(m.result, m.error) });
    });
  });
}
