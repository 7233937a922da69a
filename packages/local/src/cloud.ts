import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as sesLocalModule from "aws-ses-v2-local";
import { createWiring, type Wiring, type WiringOverrides } from "@mission-mail/functions/wiring/wiring";
import { startDynamoDbLocal, type DynamoDbLocal } from "./dynamodb-local";
import { startHttpServer } from "./http-server";
import { assertPortFree } from "./ports";
import type { PlanJob, SendJob, SignUpJob } from "@mission-mail/core/shared/jobs";
import { CONTENT_SOURCE, CONTENT_EVENT_TYPES } from "@mission-mail/core/content/schema";
import { documentClient } from "@mission-mail/core/platform/dynamo";
import { SES_DETAIL_TYPES, SES_SOURCE } from "@mission-mail/core/feedback/ses-event";
import type { DeadLetterName } from "@mission-mail/core/health/ports";
import { sesEventsRoute } from "./ses-events";
import { LocalBus } from "./bus";
import { DeadLetterList, LocalQueue, expireDeadLetters, type DeadLetter } from "./queue";
import { LocalAnnouncementScheduler, LocalScheduler } from "./scheduler";
import { DynamoAnnouncements } from "@mission-mail/core/announcements/dynamo-announcements";
import { localStaffVerifierEnv } from "./staff-issuer";
import { ensureTable, seedMissions } from "./table";

export interface LocalCloudOptions {
  httpPort: number;
  mailboxPort: number;
  /** Start DynamoDB Local on this port, persisting to `dataDir` (or in memory without it)… */
  dynamodbPort?: number;
  dataDir?: string;
  /** …or use a DynamoDB endpoint that is already running. */
  dynamodbEndpoint?: string;
  tableName: string;
  secrets: LocalSecrets;
  /** Extra environment for the handlers (rate limits, trusted proxy in load tests). */
  env?: Record<string, string>;
  /** Local-only pages served before the route table. */
  extraRoutes?: Parameters<typeof startHttpServer>[2];
  /** Retry delay of the local send queue, in ms (SQS visibility timeout in AWS). */
  retryDelayMs?: number;
  /** Scales queue delays (alert windows); tests shorten them. 1 is real time. */
  delayScale?: number;
  /** Puts something in front of the mailbox emulator (a fault-injecting or counting SES endpoint). */
  sesEndpoint?: (mailboxUrl: string) => Promise<string> | string;
  /** Run the digest schedule and the sweeper on the local clock (`npm start`); tests trigger them by hand. */
  schedules?: boolean;
  /**
   * Parts of the handlers' wiring to use instead of the local cloud's (a fault-injecting mailer or
   * outbox, a clock). A function is called once the emulators run, when the wiring is made.
   */
  wiring?: WiringOverrides | ((cloud: { tableName: string }) => WiringOverrides);
}

export interface LocalSecrets {
  TOKEN_KEYS: string;
  ADDRESS_PEPPER: string;
  IP_SALT: string;
  WEBHOOK_SECRET: string;
  STAFF_TOKEN: string;
  /** The local staff issuer's private key (JWK JSON); handlers get only its public half. Without it, only STAFF_TOKEN signs in. */
  STAFF_SIGNING_KEY?: string;
}

export interface LocalCloud {
  urls: { site: string; api: string; mailbox: string; dynamodb: string };
  tableName: string;
  sendQueue: LocalQueue<SendJob>;
  /** Sign-up requests, decided by the sign-up worker off the request path. */
  signUpQueue: LocalQueue<SignUpJob>;
  planQueue: LocalQueue<PlanJob>;
  bus: LocalBus;
  contentDeadLetters: DeadLetterList;
  feedbackDeadLetters: DeadLetterList;
  scheduler: LocalScheduler;
  /**
   * Drops the dead letters older than `maxAgeMs` from every dead-letter list (the five the health view
   * counts), as SQS's retention period does in AWS; the local retention sweep calls it daily with
   * RETENTION_DEAD_LETTER_DAYS. Answers how many went.
   */
  expireDeadLetters(maxAgeMs: number, nowMs?: number): number;
  /** The wiring the handlers run on now. */
  readonly wiring: Wiring;
  /**
   * Makes a new wiring for the handlers from the local cloud's configuration, with its queues, bus and
   * scheduler and the options' overrides, plus `extra` (tests swap the mailer; the bench switches the
   * send mode: `extra.env` settings go on top of the configuration). Earlier `extra` is dropped.
   */
  rewire(extra?: WiringOverrides): Wiring;
  /** Waits until the bus, the queues and everything they cause are done. */
  idle(): Promise<void>;
  createdTable: boolean;
  stop(): Promise<void>;
}

/**
 * Starts the embedded local cloud: DynamoDB Local, aws-ses-v2-local with its web mailbox, the HTTP
 * API on the shared route table, and the in-process send queue. Handlers are the Lambda handlers,
 * talking to the emulators through the real AWS SDK clients.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  await assertPortFree(options.httpPort, "site and API", "PORT");
  await assertPortFree(options.mailboxPort, "mailbox", "MAILBOX_PORT");
  if (!options.dynamodbEndpoint && options.dynamodbPort !== undefined) {
    await assertPortFree(options.dynamodbPort, "DynamoDB", "DYNAMODB_PORT");
  }

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let dynamo: DynamoDbLocal | undefined;
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      dynamo = await startDynamoDbLocal({ port: options.dynamodbPort ?? 8000, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
      stops.push(() => dynamo!.stop());
      dynamodbEndpoint = dynamo.endpoint;
    }

    // aws-ses-v2-local is CommonJS: its default export arrives as `.default` (once or twice wrapped).
    const mod = sesLocalModule as unknown as { default: typeof sesLocalModule.default | { default: typeof sesLocalModule.default } };
    const sesLocal = typeof mod.default === "function" ? mod.default : mod.default.default;
    const mailbox: Server = await sesLocal({ host: "127.0.0.1", port: options.mailboxPort });
    stops.push(() => new Promise((r) => mailbox.close(() => r())));
    const mailboxUrl = `http://127.0.0.1:${(mailbox.address() as { port: number }).port}`;
    // The emulator keeps its mailbox in module state, shared by every emulator started in the process:
    // a new local cloud starts with an empty one, not with an earlier cloud's mail.
    await fetch(`${mailboxUrl}/clear-store`, { method: "POST" });

    const client = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const createdTable = await ensureTable(client, options.tableName);
    await seedMissions(client, options.tableName);
    client.destroy();

    // The handlers run on the local cloud's own wiring, made once the emulators are up (below).
    let wiring: Wiring | undefined;
    const current = () => wiring ?? (() => { throw new Error("The local cloud is not started yet"); })();
    const sendQueue = new LocalQueue<SendJob>("send-queue", async () => {
      const { run } = await import("@mission-mail/functions/queues/send-mail");
      return (event, context) => run(event, context, current());
    }, {
      batchSize: 10,
      maxReceiveCount: 5,
      retryDelayMs: options.retryDelayMs ?? 5_000,
      onDeadLetter: (d) => console.error(`[send-queue] message ${d.messageId} moved to the dead-letter queue: ${d.reason}`),
      delayScale: options.delayScale ?? 1,
      // As the event source's maximum concurrency in AWS.
      concurrency: 2,
    });
    stops.push(async () => sendQueue.stop());
    const signUpQueue = new LocalQueue<SignUpJob>("signup-queue", async () => {
      const { run } = await import("@mission-mail/functions/queues/sign-up");
      return (event, context) => run(event, context, current());
    }, {
      batchSize: 10,
      maxReceiveCount: 5,
      retryDelayMs: options.retryDelayMs ?? 5_000,
      onDeadLetter: (d) => console.error(`[signup-queue] message ${d.messageId} moved to the dead-letter queue: ${d.reason}`),
      delayScale: options.delayScale ?? 1,
    });
    stops.push(async () => signUpQueue.stop());
    const planQueue = new LocalQueue<PlanJob>("plan-queue", async () => {
      const { run } = await import("@mission-mail/functions/queues/plan");
      return (event, context) => run(event, context, current());
    }, {
      batchSize: 1,
      maxReceiveCount: 5,
      retryDelayMs: options.retryDelayMs ?? 5_000,
      onDeadLetter: (d) => console.error(`[plan-queue] message ${d.messageId} moved to the dead-letter queue: ${d.reason}`),
      delayScale: options.delayScale ?? 1,
    });
    stops.push(async () => planQueue.stop());
    const contentDeadLetters = new DeadLetterList((d) => console.error(`[content] event moved to the dead-letter queue: ${d.reason}`));
    const feedbackDeadLetters = new DeadLetterList((d) => console.error(`[feedback] SES event moved to the dead-letter queue: ${d.reason}`));
    // Every dead-letter list, by the name the health view gives its queue: one added there must be kept here too.
    const deadLetterLists: Record<DeadLetterName, DeadLetter[]> = {
      send: sendQueue.deadLetters,
      signUp: signUpQueue.deadLetters,
      plan: planQueue.deadLetters,
      content: contentDeadLetters.items,
      feedback: feedbackDeadLetters.items,
    };
    const expireAll = (maxAgeMs: number, nowMs?: number) => Object.values(deadLetterLists).reduce((n, list) => n + expireDeadLetters(list, maxAgeMs, nowMs), 0);
    // One local bus stands for both the app's bus (content) and the account's default bus (SES feedback).
    const bus = new LocalBus(
      [
        { name: "content", source: CONTENT_SOURCE, detailTypes: [...CONTENT_EVENT_TYPES], handler: async () => {
          const { run } = await import("@mission-mail/functions/events/content");
          return (event, context) => run(event, context, current());
        } },
        { name: "feedback", source: SES_SOURCE, detailTypes: [...SES_DETAIL_TYPES], handler: async () => {
          const { run } = await import("@mission-mail/functions/events/ses-feedback");
          return (event, context) => run(event, context, current());
        } },
      ],
      { retryDelayMs: options.retryDelayMs ?? 1_000, onFailed: (f) => console.error(`[bus] ${f.rule} failed for event ${f.event.id}: ${f.reason}`) },
    );
    const scheduler = new LocalScheduler(
      planQueue,
      async () => {
        const { run } = await import("@mission-mail/functions/schedules/sweep");
        return (event) => run(event, undefined, current());
      },
      undefined,
      undefined,
      async () => {
        const { run } = await import("@mission-mail/functions/schedules/retention");
        return async () => {
          const wiring = current();
          const report = await run(undefined, undefined, wiring);
          // The local dead-letter lists keep what SQS would keep: RETENTION_DEAD_LETTER_DAYS.
          expireAll(wiring.config.RETENTION_DEAD_LETTER_DAYS * 24 * 3600 * 1000);
          return report;
        };
      },
    );
    if (options.schedules) scheduler.start();
    stops.push(async () => scheduler.stop());

    const doc = documentClient({ region: "eu-north-1", endpoint: dynamodbEndpoint });
    stops.push(async () => doc.destroy());
    const sesEvents = sesEventsRoute({ mailboxUrl, doc, table: options.tableName, bus, pepper: () => options.secrets.ADDRESS_PEPPER });
    const server = await startHttpServer(options.httpPort, current, (req, res, url) => sesEvents(req, res, url) || (options.extraRoutes?.(req, res, url) ?? false));
    stops.push(
      () =>
        new Promise((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    const site = `http://localhost:${(server.address() as { port: number }).port}`;
    const { STAFF_SIGNING_KEY, ...handlerSecrets } = options.secrets;
    // The handlers' configuration: the shell's settings with the local cloud's on top, given to each
    // wiring (the process environment is left as it was).
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MODE: "local",
      TABLE_NAME: options.tableName,
      AWS_REGION: "eu-north-1",
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      SES_ENDPOINT: options.sesEndpoint ? await options.sesEndpoint(mailboxUrl) : mailboxUrl,
      PUBLIC_URL: options.env?.PUBLIC_URL ?? site,
      MAIL_FROM: "Missions <news@missions.example.org>",
      UNSUBSCRIBE_MAILTO: "unsubscribe@missions.example.org",
      // The STAFF_TOKEN shortcut stands for a publisher locally, so the printed commands can send.
      STAFF_TOKEN_ROLE: "publisher",
      ...(STAFF_SIGNING_KEY ? localStaffVerifierEnv(STAFF_SIGNING_KEY) : {}),
      ...handlerSecrets,
      ...options.env,
    };

    // Scheduled announcements run on the local scheduler's clock; those scheduled before a restart are armed again.
    const announcementScheduler = new LocalAnnouncementScheduler(scheduler);
    const local: WiringOverrides = {
      sendQueue,
      sendDeadLetters: sendQueue,
      signUpQueue,
      signUpDeadLetters: signUpQueue,
      planQueue,
      planDeadLetters: planQueue,
      bus,
      contentDeadLetters,
      feedbackDeadLetters,
      announcementScheduler,
      ...(typeof options.wiring === "function" ? options.wiring({ tableName: options.tableName }) : options.wiring),
    };
    const rewire = (extra: WiringOverrides = {}) => (wiring = createWiring({ ...local, ...extra, env: { ...env, ...extra.env } }));
    rewire();
    await rearmScheduledAnnouncements(new DynamoAnnouncements(doc, options.tableName), announcementScheduler);

    const idle = async () => {
      // Each stage can feed the next (event → plan → send), so wait until all are quiet at once.
      for (let quiet = 0; quiet < 2; ) {
        await bus.idle();
        await signUpQueue.idle();
        await planQueue.idle();
        await sendQueue.idle();
        await new Promise((r) => setTimeout(r, 5));
        quiet = bus.busy || signUpQueue.depth || planQueue.depth || sendQueue.depth ? 0 : quiet + 1;
      }
    };
    return {
      urls: { site, api: `${site}/api`, mailbox: mailboxUrl, dynamodb: dynamodbEndpoint },
      tableName: options.tableName,
      sendQueue,
      signUpQueue,
      planQueue,
      bus,
      contentDeadLetters,
      feedbackDeadLetters,
      scheduler,
      expireDeadLetters: expireAll,
      get wiring() {
        return current();
      },
      rewire,
      idle,
      createdTable,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Arms the schedule of every announcement still scheduled in the table (the local scheduler keeps them only in memory). */
async function rearmScheduledAnnouncements(announcements: DynamoAnnouncements, scheduler: LocalAnnouncementScheduler): Promise<void> {
  let before: string | undefined;
  do {
    const page = await announcements.listAnnouncements({ limit: 50, ...(before ? { before } : {}) });
    for (const a of page.announcements) if (a.state === "scheduled" && a.scheduledAt) await scheduler.schedule(a.id, Date.parse(a.scheduledAt));
    before = page.next;
  } while (before);
}
