import { contentAlerts, type AlertDeps } from "@mission-mail/core/digest/alerts";
import type { ContentEventDeps } from "@mission-mail/core/content/apply";
import type { CompileAnnouncement } from "@mission-mail/core/announcements/announcement";
import type { AnnouncementPlanDeps } from "@mission-mail/core/announcements/plan-announcement";
import { compileContentEmail, itemLeftOut } from "@mission-mail/core/emails/compile-content";
import type { DigestDeps } from "@mission-mail/core/digest/plan-digest";
import type { Deps } from "./deps";

/** The planners' dependencies (content alerts and digests), from the process-wide ones. MJML lives here, never in the sender. */
export function planningDeps(d: Deps, owner: string): AlertDeps & DigestDeps {
  return {
    outbox: d.outbox,
    runs: d.runs,
    sendQueue: d.queue,
    planQueue: d.planQueue,
    clock: d.clock,
    owner,
    store: d.store,
    content: d.content,
    windows: d.windows,
    compile: compileContentEmail,
    leftOut: itemLeftOut,
    windowMs: d.config.ALERT_WINDOW_SECONDS * 1000,
  };
}

/** What applying a content event needs: the content store and the alert planner over the planners' dependencies. */
export function contentEventDeps(d: Deps, owner: string): ContentEventDeps {
  return { content: d.content, clock: d.clock, alerts: contentAlerts(planningDeps(d, owner)) };
}

/**
 * Compiles announcement emails with MJML, for the announcement planner and for the staff routes that
 * preview and test-send an announcement (their functions bundle MJML; the sender's never does).
 */
export const compileAnnouncement: CompileAnnouncement = (spec, language) => compileContentEmail(spec, language);

/** The announcement planner's dependencies. */
export function announcementPlanningDeps(d: Deps, owner: string): AnnouncementPlanDeps {
  return { outbox: d.outbox, sendQueue: d.queue, clock: d.clock, owner, store: d.store, announcements: d.announcements, compile: compileAnnouncement };
}
