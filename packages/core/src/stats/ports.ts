/**
 * What the per-mission charts count, per Stockholm day. `neverSignedUp` counts people who, after
 * unsubscribing, said they never signed up: a complaint in other words, shown beside complaints.
 */
export type StatCounter = "joined" | "left" | "sent" | "bounced" | "complained" | "unsubscribed" | "neverSignedUp";

/**
 * Per-mission daily counters and each mission's running subscriber total, for the staff charts and
 * `mm stats`. Best effort by contract: `add` never throws, so statistics never fail what they count.
 */
export interface MissionStats {
  /** Adds to a mission's counters for a day, and `totalDelta` to its running subscriber total. */
  add(missionId: string, day: string, counts: Partial<Record<StatCounter, number>>, totalDelta?: number): Promise<void>;
  /** A mission's counters for the days in [fromDay, toDay], and its running total now. */
  read(missionId: string, fromDay: string, toDay: string): Promise<{ days: Map<string, Partial<Record<StatCounter, number>>>; total: number }>;
}

/**
 * What the service-wide daily totals count, per Stockholm day, for the health view: every email
 * accepted by SES (campaign and transactional), the feedback that rates are measured on (hard and
 * soft bounces, complaints, each SES event once), and the addresses the feedback suppressed, by reason.
 */
export type ServiceCounter = "sent" | "bounced" | "softBounced" | "complained" | "suppressedHardBounce" | "suppressedSoftBounces" | "suppressedComplaint";

/**
 * Service-wide counters per Stockholm day, written where mail is sent and feedback is counted, so the
 * health view reads a month as a few small queries and never scans. Best effort by contract, as the
 * per-mission counters: `add` never throws. `shardKey` (a batch or event id) spreads writes of one
 * day over a few items.
 */
export interface ServiceTotals {
  add(day: string, counts: Partial<Record<ServiceCounter, number>>, shardKey: string): Promise<void>;
  /** The counters of each day in [fromDay, toDay] that has any, summed over the shards. */
  read(fromDay: string, toDay: string): Promise<Map<string, Partial<Record<ServiceCounter, number>>>>;
}
