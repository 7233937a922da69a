import { SQSClient } from "@aws-sdk/client-sqs";
import { config, type Config } from "@mission-mail/core/platform/config";
import { documentClient } from "@mission-mail/core/platform/dynamo";
import { SqsQueue } from "@mission-mail/core/platform/sqs-queue";
import { DynamoAlertWindows } from "@mission-mail/core/digest/dynamo-alert-windows";
import { DynamoAuditLog } from "@mission-mail/core/audit/dynamo-audit-log";
import { DynamoAnnouncements } from "@mission-mail/core/announcements/dynamo-announcements";
import { DynamoDigestRuns } from "@mission-mail/core/digest/dynamo-digest-runs";
import { DynamoContentStore } from "@mission-mail/core/content/dynamo-content-store";
import { DynamoFeedbackStore } from "@mission-mail/core/feedback/dynamo-feedback-store";
import { DynamoMissionCatalogue } from "@mission-mail/core/missions/dynamo-mission-catalogue";
import { DynamoMissionStats } from "@mission-mail/core/stats/dynamo-mission-stats";
import { DynamoOutbox } from "@mission-mail/core/campaigns/dynamo-outbox";
import { DynamoSendPacer } from "@mission-mail/core/campaigns/dynamo-send-pacer";
import { DynamoSubscriberStore } from "@mission-mail/core/subscription/dynamo-subscriber-store";
import { EventBridgePublisher } from "@mission-mail/core/platform/eventbridge-publisher";
import { SesMailer } from "@mission-mail/core/campaigns/ses-mailer";
import type { AnnouncementScheduler } from "@mission-mail/core/announcements/ports";
import type { Mailer } from "@mission-mail/core/campaigns/ports";
import type { Clock, DeadLetterQueue, EventPublisher, Ids, JobQueue, MailQueue } from "@mission-mail/core/platform/ports";
import type { PlanJob } from "@mission-mail/core/shared/jobs";
import { ulid } from "ulid";

/** Everything the handlers need, built once per process from the configuration. */
export interface Deps {
  config: Config;
  store: DynamoSubscriberStore;
  content: DynamoContentStore;
  feedback: DynamoFeedbackStore;
  stats: DynamoMissionStats;
  outbox: DynamoOutbox;
  /** Digest runs, for status polling. */
  runs: DynamoDigestRuns;
  windows: DynamoAlertWindows;
  pacer: DynamoSendPacer;
  /** The missions catalogue as staff manage it (add, edit, retire). */
  missions: DynamoMissionCatalogue;
  /** The append-only log of staff actions. */
  audit: DynamoAuditLog;
  /** Staff announcements, and control over the campaigns they become. */
  announcements: DynamoAnnouncements;
  /**
   * One-off schedules for announcements, when something put one in place (the local cloud's clock).
   * Otherwise the functions that schedule build EventBridge Scheduler's (lib/announcements.ts), so only
   * they bundle its client.
   */
  announcementScheduler?: AnnouncementScheduler;
  queue: MailQueue;
  planQueue: JobQueue<PlanJob>;
  deadLetters: DeadLetterQueue;
  planDeadLetters: DeadLetterQueue;
  contentDeadLetters: DeadLetterQueue;
  feedbackDeadLetters: DeadLetterQueue;
  bus: EventPublisher;
  mailer: Mailer;
  clock: Clock;
  ids: Ids;
}

const SECRET_NAMES = ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT", "WEBHOOK_SECRET"] as const;

/**
 * In AWS, secrets are SST secrets bound to the function: SST sets `SST_Secret_value_<NAME>` to
 * "__FETCH_FROM_SSM__" and keeps the value in SSM under the stage's prefix, with an app-wide fallback.
 * They are fetched here, once, on the first invocation (never at module top level), with one
 * GetParameters call. This is what `sst/node/config` does, without bundling SST's own SDK copy.
 */
async function loadSstSecrets(): Promise<void> {
  const wanted = SECRET_NAMES.filter((n) => process.env[`SST_Secret_value_${n}`] === "__FETCH_FROM_SSM__" && process.env[n] === undefined);
  if (!wanted.length) return;
  const { SSMClient, GetParametersCommand } = await import("@aws-sdk/client-ssm");
  const ssm = new SSMClient({ region: process.env.SST_REGION ?? process.env.AWS_REGION });
  const fetch = async (paths: string[]) => (await ssm.send(new GetParametersCommand({ Names: paths, WithDecryption: true }))).Parameters ?? [];
  const stagePath = (n: string) => `${process.env.SST_SSM_PREFIX}Secret/${n}/value`;
  const fallbackPath = (n: string) => `/sst/${process.env.SST_APP}/.fallback/Secret/${n}/value`;
  for (const p of await fetch(wanted.map(stagePath))) process.env[wanted.find((n) => stagePath(n) === p.Name)!] = p.Value;
  const missing = wanted.filter((n) => process.env[n] === undefined);
  if (missing.length) for (const p of await fetch(missing.map(fallbackPath))) process.env[missing.find((n) => fallbackPath(n) === p.Name)!] = p.Value;
  const unset = wanted.filter((n) => process.env[n] === undefined);
  if (unset.length) throw new Error(`Secrets not set for stage "${process.env.SST_STAGE}": ${unset.join(", ")} (npx sst secrets set <NAME> <value>)`);
}

const missing = (name: string) => {
  throw new Error(`${name} is not configured`);
};

let built: Promise<Deps> | undefined;
let overrides: Partial<Deps> = {};

/** Returns the process-wide dependencies, building them on first use. */
export function deps(): Promise<Deps> {
  const building = (built ??= (async (): Promise<Deps> => {
    await loadSstSecrets();
    const cfg = config();
    const db = documentClient({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) });
    let sqs: SQSClient | undefined;
    const client = () => (sqs ??= new SQSClient({ region: cfg.AWS_REGION, ...(cfg.SQS_ENDPOINT ? { endpoint: cfg.SQS_ENDPOINT } : {}) }));
    // Queues and the bus are created lazily: a function that never uses one needs no URL for it.
    const lazy: Partial<Deps> = { ...overrides };
    const outbox = overrides.outbox ?? new DynamoOutbox(db, cfg.TABLE_NAME);
    return {
      config: cfg,
      store: new DynamoSubscriberStore(db, cfg.TABLE_NAME),
      content: new DynamoContentStore(db, cfg.TABLE_NAME),
      feedback: new DynamoFeedbackStore(db, cfg.TABLE_NAME),
      missions: new DynamoMissionCatalogue(db, cfg.TABLE_NAME),
      stats: new DynamoMissionStats(db, cfg.TABLE_NAME),
      outbox,
      runs: new DynamoDigestRuns(db, cfg.TABLE_NAME),
      windows: new DynamoAlertWindows(db, cfg.TABLE_NAME),
      pacer: new DynamoSendPacer(db, cfg.TABLE_NAME, cfg.SEND_RATE_PER_SECOND),
      audit: new DynamoAuditLog(db, cfg.TABLE_NAME),
      announcements: new DynamoAnnouncements(db, cfg.TABLE_NAME),
      ...(overrides.announcementScheduler ? { announcementScheduler: overrides.announcementScheduler } : {}),
      get queue() {
        return (lazy.queue ??= new SqsQueue(client(), cfg.SEND_QUEUE_URL ?? missing("SEND_QUEUE_URL")));
      },
      get planQueue() {
        return (lazy.planQueue ??= new SqsQueue(client(), cfg.PLAN_QUEUE_URL ?? missing("PLAN_QUEUE_URL")));
      },
      get deadLetters() {
        return (lazy.deadLetters ??= new SqsQueue(client(), cfg.SEND_DLQ_URL ?? missing("SEND_DLQ_URL")));
      },
      get planDeadLetters() {
        return (lazy.planDeadLetters ??= new SqsQueue(client(), cfg.PLAN_DLQ_URL ?? missing("PLAN_DLQ_URL")));
      },
      get contentDeadLetters() {
        return (lazy.contentDeadLetters ??= new SqsQueue(client(), cfg.CONTENT_DLQ_URL ?? missing("CONTENT_DLQ_URL")));
      },
      get feedbackDeadLetters() {
        return (lazy.feedbackDeadLetters ??= new SqsQueue(client(), cfg.FEEDBACK_DLQ_URL ?? missing("FEEDBACK_DLQ_URL")));
      },
      get bus() {
        return (lazy.bus ??= new EventBridgePublisher({ region: cfg.AWS_REGION }, cfg.EVENT_BUS_NAME ?? missing("EVENT_BUS_NAME")));
      },
      mailer: overrides.mailer ?? new SesMailer({ region: cfg.AWS_REGION, ...(cfg.SES_ENDPOINT ? { endpoint: cfg.SES_ENDPOINT } : {}) }, cfg.MAIL_FROM),
      clock: overrides.clock ?? { now: () => Date.now() },
      ids: overrides.ids ?? { next: () => ulid() },
    };
  })());
  building.catch(() => (built = undefined));
  return building;
}

/** What the sign-up use case needs, for the API route and the page form alike. */
export function subscribeDeps(d: Deps) {
  return {
    store: d.store,
    limiter: d.store,
    queue: d.queue,
    clock: d.clock,
    ids: d.ids,
    settings: {
      addressPepper: d.config.ADDRESS_PEPPER,
      ipSalt: d.config.IP_SALT,
      rateLimitPerAddress: d.config.RATE_LIMIT_PER_ADDRESS,
      rateLimitPerIp: d.config.RATE_LIMIT_PER_IP,
      rateWindowSeconds: d.config.RATE_WINDOW_SECONDS,
    },
  };
}

/** What the self-service use cases (preferences, data rights) need from the dependencies. */
export function selfService(d: Deps) {
  return { store: d.store, stats: d.stats, clock: d.clock, ids: d.ids, tokenKeys: d.config.TOKEN_KEYS };
}

/**
 * Replaces some dependencies for the whole process. The local cloud uses it to put its in-process
 * queues and bus in place of SQS and EventBridge; nothing else should.
 */
export function overrideDeps(partial: Partial<Deps>): void {
  overrides = { ...overrides, ...partial };
  built = undefined;
}
