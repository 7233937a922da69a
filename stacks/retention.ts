import { RETENTION_SETTINGS, retentionConfig } from "../packages/core/src/platform/config";

/** When the retention sweep runs: daily at 02:30 UTC, before the digests and the working day. */
export const RETENTION_SCHEDULE = "cron(30 2 * * ? *)";

/** The retention sweep's timeout; it stops taking new pages a minute before and the next day continues. */
export const RETENTION_TIMEOUT_MINUTES = 15;

/**
 * The retention settings for a stage, from the deploying shell's environment: only those set, so the
 * functions' defaults (docs/retention.md) apply to the rest. They are checked here as the functions
 * will parse them, so a bad value fails the deploy, not the daily sweep.
 */
export function retentionEnvironment(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const set = Object.fromEntries(RETENTION_SETTINGS.flatMap((k) => (env[k] ? [[k, env[k]!]] : [])));
  retentionConfig(set);
  return set;
}
