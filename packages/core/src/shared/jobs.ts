/** The messages the send, plan and sign-up queues carry: ids only, never an address. */

/** A request to send one transactional email. Carries ids, never addresses. */
export interface MailJob {
  kind: "confirm" | "already-subscribed" | "data-export" | "data-erase" | "welcome";
  subscriberId: string;
  /** Unique per request: a redelivered job with the same id is sent at most once. */
  requestId: string;
}

/** A pointer to one frozen batch of a campaign: the sender leases the batch and sends it. */
export interface BatchJob {
  kind: "batch";
  campaign: string;
  batch: number;
}

/** Everything that goes through the paced send queue. */
export type SendJob = MailJob | BatchJob;

/** A planning job: a digest run, or the end of a subscriber's alert window. */
export type PlanJob =
  | { kind: "plan-digest"; cadence: "daily" | "weekly" | "monthly"; runId: string; period?: string }
  | { kind: "flush-alerts"; subscriberId: string; windowEndsAt: number }
  /** A staff announcement to send; `at` (epoch ms) names the schedule that fired, if one did. */
  | { kind: "plan-announcement"; id: string; at?: number }
  /** A retired mission: tell its followers once and take it out of their choices. */
  | { kind: "retire-mission"; missionId: string };

/** A sign-up request to decide (new, pending or already active): its id only; the request is in the table. */
export interface SignUpJob {
  kind: "sign-up";
  requestId: string;
}
