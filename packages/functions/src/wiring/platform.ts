import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { parseConfig, siteConfig, siteIdentity, staffConsoleConfig, type Config, type SiteIdentity } from "@mission-mail/core/platform/config";
import type { AnnouncementScheduler, LinkProbe } from "@mission-mail/core/announcements/ports";
import type { Mailer } from "@mission-mail/core/campaigns/ports";
import type { Clock, DeadLetterQueue, EventPublisher, Ids, JobQueue, MailQueue, SignUpQueue } from "@mission-mail/core/platform/ports";
import type { PlanJob } from "@mission-mail/core/shared/jobs";

/**
 * What every capability's wiring is built on: the configuration, the DynamoDB client, time and ids,
 * the queues and their dead-letter queues, the event bus and the mailer. Everything is built on first
 * use: a function that never sends mail never builds the mailer, and one that never uses a queue
 * needs no URL for it.
 */
export interface Platform {
  readonly config: Config;
  /**
   * The public settings of the staff console's page, read on their own: the page needs neither the
   * secrets the full configuration requires nor the SSM call that loads them.
   */
  readonly consoleConfig: Pick<Config, "MODE" | "PUBLIC_URL" | "STAFF_AUTH_DOMAIN" | "STAFF_CLIENT_ID" | "AUTO_PAUSE_COMPLAINT_RATE" | "AUTO_PAUSE_BOUNCE_RATE">;
  /** Who publishes the pages (agency name and logo), read on its own for the same reason. */
  readonly site: SiteIdentity;
  readonly db: DynamoDBDocumentClient;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly sendQueue: MailQueue;
  readonly planQueue: JobQueue<PlanJob>;
  readonly sendDeadLetters: DeadLetterQueue;
  readonly planDeadLetters: DeadLetterQueue;
  readonly signUpQueue: SignUpQueue;
  readonly signUpDeadLetters: DeadLetterQueue;
  readonly contentDeadLetters: DeadLetterQueue;
  readonly feedbackDeadLetters: DeadLetterQueue;
  readonly bus: EventPublisher;
  readonly mailer: Mailer;
  /**
   * One-off schedules for announcements, where something put one in place (the local cloud's
   * scheduler). Otherwise the announcements wiring builds EventBridge Scheduler's, so only the
   * functions that schedule bundle its client.
   */
  readonly announcementScheduler: AnnouncementScheduler | undefined;
  /** The pre-send checks' link probe, where something put one in place (a test's fake); otherwise the announcements wiring builds it from the configuration. */
  readonly linkProbe: LinkProbe | undefined;
}

/** How the platform's AWS parts are made from the configuration (wiring/aws.ts); a function that needs none is wired without them. */
export interface PlatformSdk {
  db(cfg: Config): DynamoDBDocumentClient;
  queue<T>(cfg: Config, url: string): JobQueue<T> & DeadLetterQueue;
  bus(cfg: Config, busName: string): EventPublisher;
  mailer(cfg: Config): Mailer;
  ids(): Ids;
}

/** What a wiring may be given instead of building it: the environment the configuration is read from, or any part of the platform. */
export type PlatformOverrides = Partial<Platform> & {
  /** The environment to read the configuration from (process.env by default); ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
};

const missing = (name: string): never => {
  throw new Error(`${name} is not configured`);
};

/** Builds the platform from the configuration, lazily, part by part; overrides take the place of the parts they name. */
export function createPlatform(overrides: PlatformOverrides = {}, sdk?: PlatformSdk): Platform {
  const { env, ...given } = overrides;
  const built: { -readonly [K in keyof Platform]?: Platform[K] } = { ...given };
  const aws = (): PlatformSdk => sdk ?? missing("AWS access in this function");
  const once = <K extends keyof Platform>(key: K, build: () => Platform[K]): Platform[K] => {
    if (!(key in built)) built[key] = build();
    return built[key] as Platform[K];
  };
  const platform: Platform = {
    get config() {
      return once("config", () => parseConfig(env ?? process.env));
    },
    get consoleConfig() {
      return once("consoleConfig", () => ("config" in built ? built.config! : staffConsoleConfig(env ?? process.env)));
    },
    get site() {
      return once("site", () => ("config" in built ? siteIdentity(built.config!) : siteConfig(env ?? process.env)));
    },
    get db() {
      const cfg = platform.config;
      return once("db", () => aws().db(cfg));
    },
    get clock() {
      return once("clock", () => ({ now: () => Date.now() }));
    },
    get ids() {
      return once("ids", () => aws().ids());
    },
    get sendQueue() {
      return once("sendQueue", () => sqsQueue(platform.config.SEND_QUEUE_URL, "SEND_QUEUE_URL"));
    },
    get planQueue() {
      return once("planQueue", () => sqsQueue(platform.config.PLAN_QUEUE_URL, "PLAN_QUEUE_URL"));
    },
    get sendDeadLetters() {
      return once("sendDeadLetters", () => sqsQueue(platform.config.SEND_DLQ_URL, "SEND_DLQ_URL"));
    },
    get planDeadLetters() {
      return once("planDeadLetters", () => sqsQueue(platform.config.PLAN_DLQ_URL, "PLAN_DLQ_URL"));
    },
    get signUpQueue() {
      return once("signUpQueue", () => sqsQueue(platform.config.SIGNUP_QUEUE_URL, "SIGNUP_QUEUE_URL"));
    },
    get signUpDeadLetters() {
      return once("signUpDeadLetters", () => sqsQueue(platform.config.SIGNUP_DLQ_URL, "SIGNUP_DLQ_URL"));
    },
    get contentDeadLetters() {
      return once("contentDeadLetters", () => sqsQueue(platform.config.CONTENT_DLQ_URL, "CONTENT_DLQ_URL"));
    },
    get feedbackDeadLetters() {
      return once("feedbackDeadLetters", () => sqsQueue(platform.config.FEEDBACK_DLQ_URL, "FEEDBACK_DLQ_URL"));
    },
    get bus() {
      const cfg = platform.config;
      return once("bus", () => aws().bus(cfg, cfg.EVENT_BUS_NAME ?? missing("EVENT_BUS_NAME")));
    },
    get mailer() {
      const cfg = platform.config;
      return once("mailer", () => aws().mailer(cfg));
    },
    get announcementScheduler() {
      return built.announcementScheduler;
    },
    get linkProbe() {
      return built.linkProbe;
    },
  };
  function sqsQueue<T>(url: string | undefined, name: string): JobQueue<T> & DeadLetterQueue {
    return aws().queue<T>(platform.config, url ?? missing(name));
  }
  return platform;
}
