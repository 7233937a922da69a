import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { config, type Config } from "@mission-mail/core/config";
import { documentClient } from "@mission-mail/core/adapters/dynamo";
import { DynamoSubscriberStore } from "@mission-mail/core/adapters/dynamo-subscriber-store";
import { SesMailer } from "@mission-mail/core/adapters/ses-mailer";
import type { Clock, DeadLetterQueue, Ids, Mailer, MailQueue } from "@mission-mail/core/ports";
import { ulid } from "ulid";

/** Everything the handlers need, built once per process from the configuration. */
export interface Deps {
  config: Config;
  store: DynamoSubscriberStore;
  queue: MailQueue;
  deadLetters: DeadLetterQueue;
  mailer: Mailer;
  clock: Clock;
  ids: Ids;
}

const SECRET_NAMES = ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT"] as const;

/**
 * In AWS, secrets are SST secrets bound to the function. They are fetched from SSM by importing
 * `sst/node/config`, which must never happen at module top level, so it happens here, once, on the
 * first invocation, and only where SST put placeholders.
 */
async function loadSstSecrets(): Promise<void> {
  if (!SECRET_NAMES.some((n) => process.env[`SST_Secret_value_${n}`] !== undefined && process.env[n] === undefined)) return;
  const { Config: Bound } = (await import("sst/node/config")) as unknown as { Config: Record<string, string> };
  for (const name of SECRET_NAMES) if (process.env[name] === undefined) process.env[name] = Bound[name];
}

/**
 * An SQS queue in AWS. As the send queue it takes jobs (ids only); as a dead-letter queue it takes a
 * body as it was, with the reason as a message attribute.
 */
class SqsQueue implements MailQueue, DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}
  async enqueue(job: Parameters<MailQueue["enqueue"]>[0]): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(job) }));
  }
  async put(body: string, reason: string): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.url,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: "String", StringValue: reason.slice(0, 1000) } },
      }),
    );
  }
}

const missing = (name: string) => {
  throw new Error(`${name} is not configured`);
};

let built: Promise<Deps> | undefined;
let overrides: Partial<Deps> = {};

/** Returns the process-wide dependencies, building them on first use. */
export function deps(): Promise<Deps> {
  built ??= (async () => {
    await loadSstSecrets();
    const cfg = config();
    const db = documentClient({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) });
    // Queues are created lazily: a function that never enqueues needs no queue URL.
    let queue = overrides.queue;
    let deadLetters = overrides.deadLetters;
    let sqs: SQSClient | undefined;
    const client = () => (sqs ??= new SQSClient({ region: cfg.AWS_REGION, ...(cfg.SQS_ENDPOINT ? { endpoint: cfg.SQS_ENDPOINT } : {}) }));
    return {
      config: cfg,
      store: new DynamoSubscriberStore(db, cfg.TABLE_NAME),
      get queue() {
        return (queue ??= new SqsQueue(client(), cfg.SEND_QUEUE_URL ?? missing("SEND_QUEUE_URL")));
      },
      get deadLetters() {
        return (deadLetters ??= new SqsQueue(client(), cfg.SEND_DLQ_URL ?? missing("SEND_DLQ_URL")));
      },
      mailer: overrides.mailer ?? new SesMailer({ region: cfg.AWS_REGION, ...(cfg.SES_ENDPOINT ? { endpoint: cfg.SES_ENDPOINT } : {}) }, cfg.MAIL_FROM),
      clock: overrides.clock ?? { now: () => Date.now() },
      ids: overrides.ids ?? { next: () => ulid() },
    };
  })();
  built.catch(() => (built = undefined));
  return built;
}

/**
 * Replaces some dependencies for the whole process. The local cloud uses it to put its in-process
 * queue in place of SQS; nothing else should.
 */
export function overrideDeps(partial: Partial<Deps>): void {
  overrides = { ...overrides, ...partial };
  built = undefined;
}
