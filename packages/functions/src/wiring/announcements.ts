import type { AnnouncementDeps } from "@mission-mail/core/announcements/announcement";
import { EventBridgeAnnouncementScheduler } from "@mission-mail/core/announcements/eventbridge-announcement-scheduler";
import type { AnnouncementScheduler } from "@mission-mail/core/announcements/ports";
import { FetchLinkProbe, OfflineLinkProbe } from "@mission-mail/core/announcements/fetch-link-probe";
import { LINK_CHECK_TIMEOUT_MS } from "@mission-mail/core/announcements/checks";
import type { LinkProbe } from "@mission-mail/core/announcements/ports";
import { compileAnnouncement } from "./announcement-emails";
import { announcementStore } from "./announcement-store";
import { auditLog } from "./audit";
import { outbox } from "./campaigns";
import { subscriberStore } from "./subscription";
import { perWiring } from "./wiring";

export { announcementStore } from "./announcement-store";

const need = (name: string, value: string | undefined): string => value ?? (() => { throw new Error(`${name} is not configured`); })();

/** The one-off scheduler: the platform's where one was put in place (the local cloud's), else EventBridge Scheduler's from the configuration. */
export const announcementScheduler = perWiring((w): AnnouncementScheduler => {
  const given = w.platform.announcementScheduler;
  if (given) return given;
  const cfg = w.config;
  return new EventBridgeAnnouncementScheduler({
    region: cfg.AWS_REGION,
    group: need("ANNOUNCEMENT_SCHEDULE_GROUP", cfg.ANNOUNCEMENT_SCHEDULE_GROUP),
    roleArn: need("ANNOUNCEMENT_SCHEDULER_ROLE_ARN", cfg.ANNOUNCEMENT_SCHEDULER_ROLE_ARN),
    planQueueArn: need("PLAN_QUEUE_ARN", cfg.PLAN_QUEUE_ARN),
    planDeadLetterArn: need("PLAN_DLQ_ARN", cfg.PLAN_DLQ_ARN),
  });
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
    compile: compileAnnouncement,
    publicUrl: w.config.PUBLIC_URL,
    approvalThreshold: w.config.APPROVAL_THRESHOLD,
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

/**
 * The pre-send checks' link probe: the platform's where one was put in place (tests' fakes), else
 * `fetch` with short timeouts where LINK_CHECK is on (the default in AWS), else every link "not
 * checked" (the default locally, which may have no way out).
 */
export const linkProbe = perWiring((w): LinkProbe => {
  const given = w.platform.linkProbe;
  if (given) return given;
  const on = (w.config.LINK_CHECK ?? (w.config.MODE === "local" ? "off" : "on")) === "on";
  return on ? new FetchLinkProbe({ timeoutMs: LINK_CHECK_TIMEOUT_MS }) : new OfflineLinkProbe();
});

/** What the pre-send checks need: the announcement use cases' dependencies and the link probe. */
export const checking = perWiring((w) => Object.assign(Object.create(announcing(w)) as ReturnType<typeof announcing>, { links: linkProbe(w) }));
