import type { AnnouncementDeps } from "@mission-mail/core/announcements/announcement";
import type { AnnouncementScheduler } from "@mission-mail/core/announcements/ports";
import { announcementStore } from "./announcement-store";
import { auditLog } from "./audit";
import { outbox } from "./campaigns";
import { loadOnce } from "./aws";
import { subscriberStore } from "./subscription";
import { perWiring } from "./wiring";

export { announcementStore } from "./announcement-store";

const need = (name: string, value: string | undefined): string => value ?? (() => { throw new Error(`${name} is not configured`); })();

/**
 * The one-off scheduler: the platform's where one was put in place (the local cloud's), else EventBridge
 * Scheduler's from the configuration, whose client is imported on first use (scheduling is rare).
 */
export const announcementScheduler = perWiring((w): AnnouncementScheduler => {
  const given = w.platform.announcementScheduler;
  if (given) return given;
  const cfg = w.config;
  const options = {
    region: cfg.AWS_REGION,
    group: need("ANNOUNCEMENT_SCHEDULE_GROUP", cfg.ANNOUNCEMENT_SCHEDULE_GROUP),
    roleArn: need("ANNOUNCEMENT_SCHEDULER_ROLE_ARN", cfg.ANNOUNCEMENT_SCHEDULER_ROLE_ARN),
    planQueueArn: need("PLAN_QUEUE_ARN", cfg.PLAN_QUEUE_ARN),
    planDeadLetterArn: need("PLAN_DLQ_ARN", cfg.PLAN_DLQ_ARN),
  };
  const scheduler = loadOnce(async () => {
    const { EventBridgeAnnouncementScheduler } = await import("@mission-mail/core/announcements/eventbridge-announcement-scheduler");
    return new EventBridgeAnnouncementScheduler(options);
  });
  return {
    schedule: async (id, atMs) => (await scheduler()).schedule(id, atMs),
    unschedule: async (id, atMs) => (await scheduler()).unschedule(id, atMs),
  };
});

/** The announcement use cases' dependencies; queues and the scheduler are reached only when a use case needs them. */
export const announcing = perWiring(
  (w): AnnouncementDeps => ({
    announcements: announcementStore(w),
    store: subscriberStore(w),
    outbox: outbox(w),
    audit: auditLog(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    get planQueue() {
      return w.platform.planQueue;
    },
    get sendQueue() {
      return w.platform.sendQueue;
    },
    get scheduler() {
      return announcementScheduler(w);
    },
  }),
);
