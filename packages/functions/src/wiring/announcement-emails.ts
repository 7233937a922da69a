import type { CompileAnnouncement } from "@mission-mail/core/announcements/announcement";
import type { AnnouncementPlanDeps } from "@mission-mail/core/announcements/plan-announcement";
import type { TestSendDeps } from "@mission-mail/core/announcements/test-send";
import { compileContentEmail } from "@mission-mail/core/emails/compile-content";
import { announcementStore } from "./announcement-store";
import { auditLog } from "./audit";
import { outbox, sendPacer } from "./campaigns";
import { subscriberStore } from "./subscription";
import { perWiring, type Wiring } from "./wiring";

/**
 * Compiles announcement emails with MJML, for the announcement planner and for the staff routes that
 * preview and test-send an announcement (their functions bundle MJML; the sender's never does).
 */
export const compileAnnouncement: CompileAnnouncement = (spec, language) => compileContentEmail(spec, language);

/** What previewing an announcement (stored or a draft) needs. */
export const previewing = perWiring((w) => ({ announcements: announcementStore(w), store: subscriberStore(w), compile: compileAnnouncement, publicUrl: w.config.PUBLIC_URL }));

/** What a test send to staff addresses needs. */
export const testSending = perWiring((w): TestSendDeps => {
  const cfg = w.config;
  return {
    announcements: announcementStore(w),
    store: subscriberStore(w),
    mailer: w.platform.mailer,
    pacer: sendPacer(w),
    audit: auditLog(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    compile: compileAnnouncement,
    publicUrl: cfg.PUBLIC_URL,
    addressPepper: cfg.ADDRESS_PEPPER,
    replyTo: cfg.REPLY_TO,
    ...(cfg.CONFIGURATION_SET ? { configurationSet: cfg.CONFIGURATION_SET } : {}),
  };
});

/** The announcement planner's dependencies, for one invocation. */
export function announcementPlanning(w: Wiring, owner: string): AnnouncementPlanDeps {
  const p = w.platform;
  return {
    outbox: outbox(w),
    sendQueue: p.sendQueue,
    clock: p.clock,
    ids: p.ids,
    owner,
    store: subscriberStore(w),
    announcements: announcementStore(w),
    compile: compileAnnouncement,
    audit: auditLog(w),
    approvalThreshold: w.config.APPROVAL_THRESHOLD,
  };
}
