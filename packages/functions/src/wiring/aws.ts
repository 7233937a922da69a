import type { SQSClient } from "@aws-sdk/client-sqs";
import { documentClient } from "@mission-mail/core/platform/dynamo";
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
 * configured endpoints. Only DynamoDB's client is loaded with the function: nearly every request
 * reads the table. The SQS, EventBridge and SES clients (and their adapters) are imported on their
 * first use, so a cold start that never enqueues, publishes or sends never loads them; bundled with
 * code splitting, they ship as chunks of their own.
 */
export function awsSdk(): PlatformSdk {
  const sqs = (cfg: Config): (() => Promise<SQSClient>) =>
    (sqsClient ??= loadOnce(async () => {
      const { SQSClient } = await import("@aws-sdk/client-sqs");
      return new SQSClient({ region: cfg.AWS_REGION, ...(cfg.SQS_ENDPOINT ? { endpoint: cfg.SQS_ENDPOINT } : {}) });
    }));
  let sqsClient: (() => Promise<SQSClient>) | undefined;
  return {
    db: (cfg) => documentClient({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) }),
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
