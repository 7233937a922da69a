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
