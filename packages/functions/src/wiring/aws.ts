import { SQSClient } from "@aws-sdk/client-sqs";
import { SesMailer } from "@mission-mail/core/campaigns/ses-mailer";
import { documentClient } from "@mission-mail/core/platform/dynamo";
import { EventBridgePublisher } from "@mission-mail/core/platform/eventbridge-publisher";
import { SqsQueue } from "@mission-mail/core/platform/sqs-queue";
import type { Config } from "@mission-mail/core/platform/config";
import { ulid } from "ulid";
import type { PlatformSdk } from "./platform";

/** The platform's AWS parts: DynamoDB, SQS (one client for every queue), EventBridge and SES, at the configured endpoints. */
export function awsSdk(): PlatformSdk {
  let sqs: SQSClient | undefined;
  return {
    db: (cfg) => documentClient({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) }),
    queue: <T>(cfg: Config, url: string) => {
      sqs ??= new SQSClient({ region: cfg.AWS_REGION, ...(cfg.SQS_ENDPOINT ? { endpoint: cfg.SQS_ENDPOINT } : {}) });
      return new SqsQueue<T>(sqs, url);
    },
    bus: (cfg, busName) => new EventBridgePublisher({ region: cfg.AWS_REGION }, busName),
    mailer: (cfg) => new SesMailer({ region: cfg.AWS_REGION, ...(cfg.SES_ENDPOINT ? { endpoint: cfg.SES_ENDPOINT } : {}) }, cfg.MAIL_FROM),
    ids: () => ({ next: () => ulid() }),
  };
}
