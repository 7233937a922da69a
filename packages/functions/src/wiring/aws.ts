import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "@mission-mail/core/platform/config";
import type { Mailer } from "@mission-mail/core/campaigns/ports";
import type { DeadLetterQueue, EventPublisher, JobQueue } from "@mission-mail/core/platform/ports";
import { ulid } from "ulid";
import type { PlatformSdk } from "./platform";

/** Loads something once, on the first call, and hands every caller the same promise (a failed load is tried again). */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    const made = (loading ??= load());
    made.catch(() => (loading = undefined));
    return made;
  };
}

/**
 * The platform's AWS parts: DynamoDB, SQS (one client for every queue), EventBridge and SES, at the
 * configured endpoints. Each client (and its adapter) is imported on its first use, so a cold start
 * that never enqueues, publishes or sends never loads those clients; bundled with code splitting,
 * they ship as chunks of their own. The DynamoDB client is made on the first request too, though a
 * function whose stores import DynamoDB's commands loads the SDK with them; the webhook, which only
 * publishes, never does.
 */
export function awsSdk(): PlatformSdk {
  const sqs = (cfg: Config): (() => Promise<SQSClient>) =>
    (sqsClient ??= loadOnce(async () => {
      const { SQSClient } = await import("@aws-sdk/client-sqs");
      return new SQSClient({ region: cfg.AWS_REGION, ...(cfg.SQS_ENDPOINT ? { endpoint: cfg.SQS_ENDPOINT } : {}) });
    }));
  let sqsClient: (() => Promise<SQSClient>) | undefined;
  return {
    db: (cfg) =>
      lazyDocumentClient(
        loadOnce(async () => {
          const { documentClient } = await import("@mission-mail/core/platform/dynamo");
          return documentClient({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) });
        }),
      ),
    queue: <T>(cfg: Config, url: string): JobQueue<T> & DeadLetterQueue => {
      const client = sqs(cfg);
      const queue = loadOnce(async () => {
        const [{ SqsQueue }, made] = await Promise.all([import("@mission-mail/core/platform/sqs-queue"), client()]);
        return new SqsQueue<T>(made, url);
      });
      return {
        enqueue: async (job, options) => (await queue()).enqueue(job, options),
        enqueueMany: async (jobs) => (await queue()).enqueueMany(jobs),
        put: async (body, reason) => (await queue()).put(body, reason),
      };
    },
    bus: (cfg, busName): EventPublisher => {
      const bus = loadOnce(async () => {
        const { EventBridgePublisher } = await import("@mission-mail/core/platform/eventbridge-publisher");
        return new EventBridgePublisher({ region: cfg.AWS_REGION }, busName);
      });
      return { publish: async (events) => (await bus()).publish(events) };
    },
    mailer: (cfg): Mailer => {
      const mailer = loadOnce(async () => {
        const { SesMailer } = await import("@mission-mail/core/campaigns/ses-mailer");
        return new SesMailer({ region: cfg.AWS_REGION, ...(cfg.SES_ENDPOINT ? { endpoint: cfg.SES_ENDPOINT } : {}) }, cfg.MAIL_FROM);
      });
      return {
        send: async (email) => (await mailer()).send(email),
        sendBulk: async (email) => (await mailer()).sendBulk(email),
      };
    },
    ids: () => ({ next: () => ulid() }),
  };
}

/**
 * A document client made on its first command. The stores use nothing of the client but `send`
 * (and the local cloud `destroy`), so that is all this stands in for.
 */
function lazyDocumentClient(load: () => Promise<DynamoDBDocumentClient>): DynamoDBDocumentClient {
  let made: DynamoDBDocumentClient | undefined;
  const client = {
    send: async (command: Parameters<DynamoDBDocumentClient["send"]>[0]) => (made ??= await load()).send(command),
    destroy: () => made?.destroy(),
  };
  return client as unknown as DynamoDBDocumentClient;
}
