import { siteConfig } from "../packages/core/src/platform/config";

/** The settings that name who publishes the pages. */
export const SITE_SETTINGS = ["AGENCY_NAME", "AGENCY_NAME_EN", "AGENCY_LOGO_URL"] as const;

/**
 * The agency's name and logo for a stage, from the deploying shell's environment: only the settings
 * that are set, so the functions' defaults (a neutral name, no logo) apply to the rest. They are
 * checked here as the functions will parse them, so a bad value fails the deploy, not the pages.
 */
export function siteEnvironment(env: Record<string, string | undefined> = process.env): Partial<Record<(typeof SITE_SETTINGS)[number], string>> {
  const set = Object.fromEntries(SITE_SETTINGS.flatMap((k) => (env[k] ? [[k, env[k]!]] : [])));
  siteConfig(set);
  return set;
}
