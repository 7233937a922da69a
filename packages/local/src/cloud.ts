import type { Server } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as sesLocalModule from "aws-ses-v2-local";
import { resetConfig } from "@mission-mail/core/config";
import { overrideDeps } from "@mission-mail/functions/lib/deps";
import { startDynamoDbLocal, type DynamoDbLocal } from "./dynamodb-local";
import { startHttpServer } from "./http-server";
import { assertPortFree } from "./ports";
import { LocalQueue } from "./queue";
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
  secrets: { TOKEN_KEYS: string; ADDRESS_PEPPER: string; IP_SALT: string };
  /** Extra environment for the handlers (rate limits, trusted proxy in load tests). */
  env?: Record<string, string>;
  /** Local-only pages served before the route table. */
  extraRoutes?: Parameters<typeof startHttpServer>[1];
  /** Retry delay of the local send queue, in ms (SQS visibility timeout in AWS). */
  retryDelayMs?: number;
}

export interface LocalCloud {
  urls: { site: string; api: string; mailbox: string; dynamodb: string };
  tableName: string;
  sendQueue: LocalQueue;
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

    const client = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const createdTable = await ensureTable(client, options.tableName);
    await seedMissions(client, options.tableName);
    client.destroy();

    const sendQueue = new LocalQueue("send-queue", async () => (await import("@mission-mail/functions/queues/send-mail")).handler, {
      batchSize: 10,
      maxReceiveCount: 5,
      retryDelayMs: options.retryDelayMs ?? 5_000,
      onDeadLetter: (d) => console.error(`[send-queue] message ${d.messageId} moved to the dead-letter queue: ${d.reason}`),
    });
    stops.push(async () => sendQueue.stop());

    const server = await startHttpServer(options.httpPort, options.extraRoutes);
    stops.push(
      () =>
        new Promise((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    const site = `http://localhost:${(server.address() as { port: number }).port}`;
    Object.assign(process.env, {
      MODE: "local",
      TABLE_NAME: options.tableName,
      AWS_REGION: "eu-north-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      SES_ENDPOINT: mailboxUrl,
      PUBLIC_URL: options.env?.PUBLIC_URL ?? site,
      MAIL_FROM: "Missions <news@missions.example.org>",
      UNSUBSCRIBE_MAILTO: "unsubscribe@missions.example.org",
      ...options.secrets,
      ...options.env,
    });
    resetConfig();

    overrideDeps({ queue: sendQueue, deadLetters: sendQueue });

    return {
      urls: { site, api: `${site}/api`, mailbox: mailboxUrl, dynamodb: dynamodbEndpoint },
      tableName: options.tableName,
      sendQueue,
      createdTable,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
