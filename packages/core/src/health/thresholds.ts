import type { HealthStatus } from "./ports";

/** An aim to stay under and a limit never to reach, as fractions of emails sent (0.001 = 0.1%). */
export interface RateThreshold {
  aim: number;
  limit: number;
}

/**
 * Complaints per email sent. Gmail's and Yahoo's sender requirements (February 2024): keep the spam
 * rate below 0.1% and never let it reach 0.3%. SES itself reviews an account at 0.1% as well.
 */
export const COMPLAINT_THRESHOLD: RateThreshold = { aim: 0.001, limit: 0.003 };

/**
 * Hard bounces per email sent. Gmail and Yahoo publish no bounce limit, so SES's own enforcement is
 * the one that matters: it reviews an account at a 5% bounce rate (the limit here) and may pause its
 * sending at 10%. The aim, 2%, is where the monitoring stack's bounce alarm fires, well before that.
 */
export const BOUNCE_THRESHOLD: RateThreshold = { aim: 0.02, limit: 0.05 };

/** Where SES may pause an account's sending (for the docs and the view's note; the status uses the limit above). */
export const SES_BOUNCE_SUSPENSION = 0.1;

/** A rate's status: ok below the aim, a warning from the aim, over from the limit; no mail sent is ok. */
export function rateStatus(rate: number | null, threshold: RateThreshold): HealthStatus {
  if (rate === null || rate < threshold.aim) return "ok";
  return rate < threshold.limit ? "warning" : "over";
}

const ORDER: HealthStatus[] = ["ok", "warning", "over"];

/** The worst of some statuses ("ok" for none). */
export const worstStatus = (statuses: HealthStatus[]): HealthStatus => ORDER[Math.max(0, ...statuses.map((s) => ORDER.indexOf(s)))]!;
