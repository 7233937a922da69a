import * as z from "zod";
import { problemsText, zodProblems } from "../shared/errors";
import { DEFAULT_AGENCY_NAME, type SiteIdentity } from "../shared/site";

export { DEFAULT_AGENCY_NAME, type SiteIdentity };

/**
 * The one place configuration is read. Everything comes from environment variables, parsed with zod
 * on first use (never at module load: SST bindings and secrets are only present inside a Lambda or a
 * configured local cloud). Secrets hold one or more comma-separated keys, newest first, so keys can be
 * rotated: the first signs, all of them verify.
 */
const keyList = z
  .string()
  .min(1)
  .transform((s) => s.split(",").map((k) => k.trim()).filter(Boolean))
  .refine((keys) => keys.length > 0 && keys.every((k) => k.length >= 16), {
    message: "each key must be at least 16 characters",
  });


/** The agency's logo: an https URL or a path on the site itself (the pages' CSP allows images from the site only, unless widened). */
const logoUrl = z
  .string()
  .refine((s) => /^\/(?!\/)[^\s]*$/.test(s) || /^https:\/\/[^\s]+$/.test(s), { message: "must be an https URL or a path on the site starting with /" });

const ConfigSchema = z.object({
  /** "local" enables the local-only shortcuts (STAFF_TOKEN, trusted proxy headers in tests). */
  MODE: z.enum(["aws", "local"]).default("aws"),
  /** The stage the function is deployed in (SST sets it on every function); a dimension of the app's metrics. */
  SST_STAGE: z.string().min(1).default("local"),
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().default("eu-north-1"),
  DYNAMODB_ENDPOINT: z.string().url().optional(),
  SES_ENDPOINT: z.string().url().optional(),
  SQS_ENDPOINT: z.string().url().optional(),
  SEND_QUEUE_URL: z.string().optional(),
  SEND_DLQ_URL: z.string().optional(),
  /** Digest runs and alert-window flushes. */
  PLAN_QUEUE_URL: z.string().optional(),
  PLAN_DLQ_URL: z.string().optional(),
  /** Sign-up requests, decided off the request path (new, pending or already active). */
  SIGNUP_QUEUE_URL: z.string().optional(),
  SIGNUP_DLQ_URL: z.string().optional(),
  /** Where poison content events go, with their reason. */
  CONTENT_DLQ_URL: z.string().optional(),
  /** Where malformed SES feedback events go, with their reason. */
  FEEDBACK_DLQ_URL: z.string().optional(),
  /** The app's EventBridge bus, which carries content events. */
  EVENT_BUS_NAME: z.string().optional(),
  /** The agency's name, as the page header shows it in Swedish; also in English unless AGENCY_NAME_EN is set. */
  AGENCY_NAME: z.string().trim().min(1).max(120).optional(),
  /** The agency's name in English, where it has one. */
  AGENCY_NAME_EN: z.string().trim().min(1).max(120).optional(),
  /** The agency's logo beside its name in the page header; its text alternative is the name. */
  AGENCY_LOGO_URL: logoUrl.optional(),
  /** Public base URL of the site and API, used for links in emails. */
  PUBLIC_URL: z.string().url(),
  MAIL_FROM: z.string().min(3),
  /**
   * The service's general address for replies (`Reply-To` of digests across missions and of account
   * mail; mail about one mission takes its team's address). Default `Missions <info@<MAIL_FROM's domain>>`.
   */
  REPLY_TO: z
    .string()
    .trim()
    .regex(/^(?:[^<>@\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, 'REPLY_TO must be an address, "info@example.org" or "Missions <info@example.org>"')
    .optional(),
  /** Address behind the mailto: List-Unsubscribe header (SES receiving). */
  UNSUBSCRIBE_MAILTO: z.string().min(3),
  CONFIGURATION_SET: z.string().optional(),
  CONFIGURATION_SET_TRACKING: z.string().optional(),
  /** HMAC keys for tokens, newest first. Required only where read (see SECRETS). */
  TOKEN_KEYS: keyList.optional(),
  /** Pepper for address HMACs (lookup and suppression keys). Never rotated: it keys stored data. */
  ADDRESS_PEPPER: z.string().min(16).optional(),
  /** Salt for the IP hash in the consent ledger. */
  IP_SALT: z.string().min(16).optional(),
  /** Sign-ups allowed per address and per IP within RATE_WINDOW_SECONDS. */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(3),
  RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(20),
  RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** HMAC secrets of the content webhook's X-Signature-256 header, newest first; any of them verifies (rotation). */
  WEBHOOK_SECRET: keyList.optional(),
  /**
   * Migration only: "1" also accepts the content webhook's old signature (the HMAC of the body alone,
   * without X-Signature-Timestamp), which can be replayed. Off by default.
   */
  WEBHOOK_LEGACY_SIGNATURE: z
    .enum(["0", "1"], { error: 'WEBHOOK_LEGACY_SIGNATURE must be "0" or "1".' })
    .default("0")
    .transform((v) => v === "1"),
  /** Local-only bearer token for the staff routes; ignored outside MODE=local. */
  STAFF_TOKEN: z.string().min(16).optional(),
  /** The address of the staff identity STAFF_TOKEN stands for, recorded in the audit log. */
  STAFF_TOKEN_EMAIL: z.string().min(3).default("local-staff@example.org"),
  /** The role of the identity STAFF_TOKEN stands for: `staff` by default; the local cloud makes it a `publisher`. */
  STAFF_TOKEN_ROLE: z.enum(["staff", "publisher"]).default("staff"),
  /** Issuer (`iss`) of staff tokens: the Cognito user pool's URL in AWS, the local issuer's name locally. */
  STAFF_ISSUER: z.string().min(1).optional(),
  /** The staff console's app client id: an ID token's `aud`, an access token's `client_id`. */
  STAFF_CLIENT_ID: z.string().min(1).optional(),
  /** The Hosted UI's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`), where the staff console signs in. */
  STAFF_AUTH_DOMAIN: z.string().url().optional(),
  /** The issuer's key set; default `<STAFF_ISSUER>/.well-known/jwks.json` (Cognito's). */
  STAFF_JWKS_URL: z.string().url().optional(),
  /** Local only: the local issuer's public key as a JWK (JSON); ignored outside MODE=local. */
  STAFF_PUBLIC_JWK: z.string().min(2).optional(),
  /** The account-wide send rate in recipients per second (SES's quota; 14/s is the usual start). */
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(14),
  /** "bulk": SendBulkEmail, 50 recipients a call; "single": one SendEmail per recipient. */
  SEND_MODE: z.enum(["bulk", "single"]).default("bulk"),
  /**
   * How the digest planner compiles: "items" (MJML once per skeleton, item blocks once per language,
   * variants assembled from them) or "variants" (MJML once per variant: the former path, kept for
   * the benchmark's side-by-side comparison). Both send the same emails.
   */
  DIGEST_COMPILATION: z.enum(["items", "variants"]).default("items"),
  /** Alerts to one subscriber within this many seconds of the first are sent together. */
  ALERT_WINDOW_SECONDS: z.coerce.number().int().positive().max(900).default(600),
  /**
   * How long an immediate alert may take to go out, counted from its campaign's creation: the sender
   * drops alert batches older than this, and SES gets the same limit (the alert configuration sets'
   * MaxDeliverySeconds). 6 hours by default; SES accepts 300 to 50,400 seconds.
   */
  ALERT_MAX_DELIVERY_SECONDS: z.coerce.number().int().min(300).max(50_400).default(21_600),
  /** The configuration sets for immediate alerts (untracked and tracking): the same as the others, plus SES's maximum delivery time. */
  CONFIGURATION_SET_ALERTS: z.string().optional(),
  CONFIGURATION_SET_ALERTS_TRACKING: z.string().optional(),
  /** A sender's lease on a batch; longer than the sender can run. */
  SENDER_LEASE_SECONDS: z.coerce.number().int().positive().default(120),
  /** Only for load tests on the local stack: take the client IP from X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** An announcement pauses by itself only once this many of its emails have been sent. */
  AUTO_PAUSE_MIN_SAMPLE: z.coerce.number().int().positive().default(500),
  /** An announcement pauses by itself when complaints per email sent pass this rate (0.1%). */
  AUTO_PAUSE_COMPLAINT_RATE: z.coerce.number().positive().max(1).default(0.001),
  /** An announcement pauses by itself when hard bounces per email sent pass this rate (5%). */
  AUTO_PAUSE_BOUNCE_RATE: z.coerce.number().positive().max(1).default(0.05),
  /** An announcement to more recipients than this needs an approval by a second publisher before it is sent or scheduled. */
  APPROVAL_THRESHOLD: z.coerce.number().int().nonnegative().default(100),
  /** Whether the pre-send checks request links to see that they work: "on" by default in AWS, "off" locally (where they say "not checked"). */
  LINK_CHECK: z.enum(["on", "off"]).optional(),
  /** EventBridge Scheduler group that holds one-off announcement schedules (AWS only). */
  ANNOUNCEMENT_SCHEDULE_GROUP: z.string().min(1).optional(),
  /** The role EventBridge Scheduler assumes to put a scheduled announcement's job on the plan queue. */
  ANNOUNCEMENT_SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  /** The plan queue and its dead-letter queue as ARNs: the targets of one-off schedules. */
  PLAN_QUEUE_ARN: z.string().min(1).optional(),
  PLAN_DLQ_ARN: z.string().min(1).optional(),
  /** Retention (docs/retention.md): a fully unsubscribed person's profile and address are erased this many days after the last unsubscribe. */
  RETENTION_UNSUBSCRIBED_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * Retention: delivery history entries older than this many months are deleted by the daily sweep.
   * At most 24: every entry also carries a two-year TTL, DynamoDB's own backstop.
   */
  RETENTION_DELIVERY_MONTHS: z.coerce.number().int().min(1).max(24).default(13),
  /** Retention: a finished campaign's per-recipient batch results are compacted to counters this many days after it was created. */
  RETENTION_BATCH_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Retention: staff addresses in audit entries older than this many months are replaced by a keyed pseudonym. */
  RETENTION_AUDIT_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  /** Retention: how long dead-lettered events (which may hold addresses) are kept, in days; SQS allows at most 14. */
  RETENTION_DEAD_LETTER_DAYS: z.coerce.number().int().min(1).max(14).default(14),
  /** Retention: items the daily sweep reads per query, and the pages per category one run takes at most (the next run continues). */
  RETENTION_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  RETENTION_MAX_PAGES: z.coerce.number().int().min(1).max(10_000).default(200),
});

/** The general reply address: REPLY_TO, or `Missions <info@…>` at the sending domain. */
const withReplyTo = <T extends { MAIL_FROM: string; REPLY_TO?: string | undefined }>(c: T): T & { REPLY_TO: string } => ({
  ...c,
  REPLY_TO: c.REPLY_TO ?? `Missions <info@${/@([^>\s]+)>?\s*$/.exec(c.MAIL_FROM)?.[1] ?? "missions.example.org"}>`,
});


/**
 * Secrets each function is given only if its code reads them (the stacks bind them per function).
 * Where one is set it is checked at parse like every setting; where it is not, the configuration still
 * parses, and reading it throws an error that names it, so a function that does read it fails loudly.
 */
const SECRETS = ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT"] as const;
type Parsed = z.infer<typeof ConfigSchema>;

export type Config = Omit<Parsed, (typeof SECRETS)[number]> & Required<Pick<Parsed, (typeof SECRETS)[number]>> & { REPLY_TO: string };

/** The parsed settings, with each absent secret as a getter that throws when read. */
function requiringSecretsWhereRead(parsed: Parsed & { REPLY_TO: string }): Config {
  const config = { ...parsed } as Record<string, unknown>;
  for (const name of SECRETS) {
    if (parsed[name] !== undefined) continue;
    delete config[name];
    Object.defineProperty(config, name, {
      enumerable: false,
      get() {
        throw new Error(`Invalid configuration: ${name} is required here but not set (in AWS, bind the secret to this function).`);
      },
    });
  }
  return config as Config;
}

let cached: Config | undefined;

/**
 * The configuration is parsed once per process: without zod's compiled fast path, which costs more
 * to generate on a schema's first parse than one parse gains from it: on a cold start, several milliseconds for nothing.
 */
const ONCE = { jitless: true } as const;

/** Parses a configuration from an environment, throwing with every problem at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env, ONCE);
  if (!parsed.success) throw new Error(`Invalid configuration: ${problemsText(zodProblems(parsed.error))}`);
  return requiringSecretsWhereRead(withReplyTo(parsed.data));
}

/** Returns the parsed configuration, reading the environment on first call. */
export function config(): Config {
  return (cached ??= parseConfig(process.env));
}

/**
 * The staff console page's settings, all of them public: read on their own, so the page needs
 * neither the secrets the full configuration requires nor the SSM call that loads them.
 */
export function staffConsoleConfig(env: Record<string, string | undefined> = process.env): Pick<Config, "MODE" | "PUBLIC_URL" | "STAFF_AUTH_DOMAIN" | "STAFF_CLIENT_ID" | "AUTO_PAUSE_COMPLAINT_RATE" | "AUTO_PAUSE_BOUNCE_RATE"> {
  const parsed = ConfigSchema.pick({ MODE: true, PUBLIC_URL: true, STAFF_AUTH_DOMAIN: true, STAFF_CLIENT_ID: true, AUTO_PAUSE_COMPLAINT_RATE: true, AUTO_PAUSE_BOUNCE_RATE: true }).safeParse(env, ONCE);
  if (!parsed.success) throw new Error(`Invalid configuration: ${problemsText(zodProblems(parsed.error))}`);
  return parsed.data;
}

const SITE_KEYS = { AGENCY_NAME: true, AGENCY_NAME_EN: true, AGENCY_LOGO_URL: true } as const;

/** The site's identity from a configuration's agency settings (the neutral default name where none is set). */
export function siteIdentity(cfg: Pick<Config, keyof typeof SITE_KEYS>): SiteIdentity {
  const sv = cfg.AGENCY_NAME ?? DEFAULT_AGENCY_NAME.sv;
  const en = cfg.AGENCY_NAME_EN ?? cfg.AGENCY_NAME ?? DEFAULT_AGENCY_NAME.en;
  return { agencyName: { sv, en }, ...(cfg.AGENCY_LOGO_URL ? { logoUrl: cfg.AGENCY_LOGO_URL } : {}) };
}

/**
 * The pages' site identity, read on its own like the staff console's settings: pages served by a
 * function without secrets need none of them for it.
 */
export function siteConfig(env: Record<string, string | undefined> = process.env): SiteIdentity {
  const parsed = ConfigSchema.pick(SITE_KEYS).safeParse(env, ONCE);
  if (!parsed.success) throw new Error(`Invalid configuration: ${problemsText(zodProblems(parsed.error))}`);
  return siteIdentity(parsed.data);
}

/** The retention settings, every one of them. */
export const RETENTION_SETTINGS = [
  "RETENTION_UNSUBSCRIBED_DAYS",
  "RETENTION_DELIVERY_MONTHS",
  "RETENTION_BATCH_DAYS",
  "RETENTION_AUDIT_MONTHS",
  "RETENTION_DEAD_LETTER_DAYS",
  "RETENTION_PAGE_SIZE",
  "RETENTION_MAX_PAGES",
] as const;
export type RetentionSettings = Pick<Config, (typeof RETENTION_SETTINGS)[number]>;

/**
 * The retention settings, read on their own (the stacks check them at deploy, so a bad value fails
 * the deploy rather than the daily sweep).
 */
export function retentionConfig(env: Record<string, string | undefined> = process.env): RetentionSettings {
  const pick = Object.fromEntries(RETENTION_SETTINGS.map((k) => [k, true])) as { [K in (typeof RETENTION_SETTINGS)[number]]: true };
  const parsed = ConfigSchema.pick(pick).safeParse(env, ONCE);
  if (!parsed.success) throw new Error(`Invalid configuration: ${problemsText(zodProblems(parsed.error))}`);
  return parsed.data;
}

/** Forgets the cached configuration (tests and the local cloud change the environment). */
export function resetConfig(): void {
  cached = undefined;
}
