import type { AnnouncementDeps } from "@mission-mail/core/announcements/announcement";
import { EventBridgeAnnouncementScheduler } from "@mission-mail/core/announcements/eventbridge-announcement-scheduler";
import { AppError } from "@mission-mail/core/shared/errors";
import type { AnnouncementScheduler } from "@mission-mail/core/announcements/ports";
import type { Deps } from "./deps";
import { rawBody, type HttpEvent } from "./http";

/** Announcement bodies are markdown in two languages (20,000 characters each, up to 4 bytes apiece): a larger limit than other requests' 16 KB. */
export const MAX_ANNOUNCEMENT_BODY_BYTES = 192 * 1024;

let scheduler: AnnouncementScheduler | undefined;

/** The one-off scheduler: the local cloud's when it put one in place, else EventBridge Scheduler's from the configuration. */
export function announcementScheduler(d: Deps): AnnouncementScheduler {
  if (d.announcementScheduler) return d.announcementScheduler;
  const cfg = d.config;
  const need = (name: string, value: string | undefined) => value ?? (() => { throw new Error(`${name} is not configured`); })();
  return (scheduler ??= new EventBridgeAnnouncementScheduler({
    region: cfg.AWS_REGION,
    group: need("ANNOUNCEMENT_SCHEDULE_GROUP", cfg.ANNOUNCEMENT_SCHEDULE_GROUP),
    roleArn: need("ANNOUNCEMENT_SCHEDULER_ROLE_ARN", cfg.ANNOUNCEMENT_SCHEDULER_ROLE_ARN),
    planQueueArn: need("PLAN_QUEUE_ARN", cfg.PLAN_QUEUE_ARN),
    planDeadLetterArn: need("PLAN_DLQ_ARN", cfg.PLAN_DLQ_ARN),
  }));
}

/** The announcement use cases' dependencies; queues and the scheduler are reached only when a use case needs them. */
export function announcementDeps(d: Deps): AnnouncementDeps {
  return {
    announcements: d.announcements,
    store: d.store,
    outbox: d.outbox,
    audit: d.audit,
    clock: d.clock,
    ids: d.ids,
    get planQueue() {
      return d.planQueue;
    },
    get sendQueue() {
      return d.queue;
    },
    get scheduler() {
      return announcementScheduler(d);
    },
  };
}

/** A JSON request body of up to 96 KB; an empty body is `{}` where `emptyIsObject` (send, which may have no options). */
export function announcementBody(event: HttpEvent, options: { emptyIsObject?: boolean } = {}): unknown {
  const text = rawBody(event, MAX_ANNOUNCEMENT_BODY_BYTES);
  if (!text.trim()) {
    if (options.emptyIsObject) return {};
    throw new AppError(400, "invalid_json", "The request body is empty; send a JSON object.");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** The `{id}` path parameter. */
export const announcementId = (event: HttpEvent) => event.pathParameters?.id ?? "";
