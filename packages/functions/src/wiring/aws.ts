import type { SQSClient } from "@aws-sdk/client-sqs";
import { documentClient } from "@mission-mail/core/platform/dynamo";
import type { Config } from "@mission-mail/core/platform/config";
import type { Mailer } from "@mission-mail/core/campaigns/ports";
import type { DeadLetterQueue, EventPublisher, JobQueue } from "@mission-mail/core/platform/ports";
import { ulid } from "ulid";
import { loadOnce } from "../lib/load-once";
import type { PlatformSdk } from "./platform";

export { loadOnce };

/**
 * The platform's AWS parts: DynamoDB, SQS (one client for every queue), EventBridge and SES, at the
 * configured endpoints. The SQS, EventBridge and SES clients (and their adapters) are imported on
 * first use, so a cold start that never enqueues, publishes or sends never loads them: every function
 * is bundled with code splitting (stacks/handlers.ts), so they ship as chunks of their own. DynamoDB's
 * stays static: nearly every function reads the table on its first invocation.
 */
export function awsSdk(): PlatformSdk {
  // One client for every queue, made with the first; the module holds the client and the adapter.
  let sqs: SQSClient | undefined;
  const sqsModule = loadOnce(() => import("@mission-mail/core/platform/sqs-queue"));
  return {
    db: (cfg) => documentClient({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) }),
    queue: <T>(cfg: Config, url: string): JobQueue<T> & DeadLetterQueue => {
      const queue = loadOnce(async () => {
        const { SqsQueue, sqsClient } = await sqsModule();
        sqs ??= sqsClient({ region: cfg.AWS_REGION, ...(cfg.SQS_ENDPOINT ? { endpoint: cfg.SQS_ENDPOINT } : {}) });
        return new SqsQueue<T>(sqs, url);
      });
      return {
        enqueue: async (job, options) => (await queue()).enqueue(job, options),
        enqueueMany: async (jobs) => (await queue()).enqueueMany(jobs),
        put: async (body, reason) => (await queue()).put(body, reason),
        deadLetterCount: async () => (await queue()).deadLetterCount(),
      };
    },
    bus: (cfg, busName): EventPublisher => {
      const publisher = loadOnce(async () => {
        const { EventBridgePublisher } = await import("@mission-mail/core/platform/eventbridge-publisher");
        return new EventBridgePublisher({ region: cfg.AWS_REGION }, busName);
      });
      return { publish: async (events) => (await publisher()).publish(events) };
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

