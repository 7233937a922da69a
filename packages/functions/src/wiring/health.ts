import type { HealthDeps, HealthSettings } from "@mission-mail/core/health/service-health";
import { announcementStore } from "./announcement-store";
import { runStatuses } from "./digest";
import { missionStats, serviceTotals } from "./stats";
import { perWiring } from "./wiring";

/** What the health view reads: the daily totals, mission totals, digest runs, announcements and the five dead-letter queues. */
export const healthReading = perWiring((w): HealthDeps => {
  const p = w.platform;
  return {
    totals: serviceTotals(w),
    missionStats: missionStats(w),
    runs: runStatuses(w),
    announcements: announcementStore(w),
    // Getters: a queue is built (and needs its URL) only when the view reads it.
    deadLetters: {
      get send() {
        return p.sendDeadLetters;
      },
      get signUp() {
        return p.signUpDeadLetters;
      },
      get plan() {
        return p.planDeadLetters;
      },
      get content() {
        return p.contentDeadLetters;
      },
      get feedback() {
        return p.feedbackDeadLetters;
      },
    },
    clock: p.clock,
  };
});

/** The thresholds from the configuration: the announcements' automatic pause and the four-eyes threshold. */
export const healthSettings = perWiring(
  (w): HealthSettings => ({
    autoPause: { complaintRate: w.config.AUTO_PAUSE_COMPLAINT_RATE, bounceRate: w.config.AUTO_PAUSE_BOUNCE_RATE },
    approvalThreshold: w.config.APPROVAL_THRESHOLD,
  }),
);
