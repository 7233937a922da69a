import { contentAlerts, type AlertDeps } from "@mission-mail/core/digest/alerts";
import { DynamoAlertWindows } from "@mission-mail/core/digest/dynamo-alert-windows";
import { DynamoDigestRuns } from "@mission-mail/core/digest/dynamo-digest-runs";
import type { DigestDeps } from "@mission-mail/core/digest/plan-digest";
import type { RunControlDeps, RunStatusDeps, StartDigestRunDeps } from "@mission-mail/core/digest/runs";
import type { ContentEventDeps } from "@mission-mail/core/content/apply";
import type { RetirementDeps } from "@mission-mail/core/missions/retire-mission";
import { compileContentEmail, digestAssembler, itemLeftOut } from "@mission-mail/core/emails/compile-content";
import { announcementStore } from "./announcement-store";
import { auditLog } from "./audit";
import { outbox } from "./campaigns";
import { contentStore } from "./content";
import { missionCatalogue } from "./missions";
import { missionStats } from "./stats";
import { subscriberStore } from "./subscription";
import { perWiring, type Wiring } from "./wiring";

/** Digest runs, for starting and polling them. */
export const digestRuns = perWiring((w) => new DynamoDigestRuns(w.platform.db, w.config.TABLE_NAME));

/** Per-subscriber alert windows. */
export const alertWindows = perWiring((w) => new DynamoAlertWindows(w.platform.db, w.config.TABLE_NAME));

/** What starting a digest run from the staff API needs. */
export const digestStarting = perWiring(
  (w): StartDigestRunDeps => ({
    runs: digestRuns(w),
    audit: auditLog(w),
    get planQueue() {
      return w.platform.planQueue;
    },
    clock: w.platform.clock,
    ids: w.platform.ids,
  }),
);

/** What reading runs with their campaigns' counters needs. */
export const runStatuses = perWiring((w): RunStatusDeps => ({ runs: digestRuns(w), outbox: outbox(w) }));

/** What resuming and cancelling a paused digest run needs; the send queue is reached only when batches are enqueued. */
export const runControl = perWiring(
  (w): RunControlDeps => ({
    runs: digestRuns(w),
    campaigns: announcementStore(w),
    outbox: outbox(w),
    audit: auditLog(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    get sendQueue() {
      return w.platform.sendQueue;
    },
  }),
);

/**
 * The planners' dependencies (content alerts and digests), for one invocation (`owner` holds the
 * plan leases). MJML is wired here, and only the planners import this module; the sender never does.
 */
export function planning(w: Wiring, owner: string): AlertDeps & DigestDeps {
  const p = w.platform;
  return {
    outbox: outbox(w),
    runs: digestRuns(w),
    sendQueue: p.sendQueue,
    planQueue: p.planQueue,
    clock: p.clock,
    owner,
    store: subscriberStore(w),
    content: contentStore(w),
    windows: alertWindows(w),
    compile: compileContentEmail,
    ...(w.config.DIGEST_COMPILATION === "items" ? { assemble: digestAssembler } : {}),
    leftOut: itemLeftOut,
    windowMs: w.config.ALERT_WINDOW_SECONDS * 1000,
  };
}

/** What applying a content event needs: the content store and the alert planner over the planners' dependencies. */
export function contentEvents(w: Wiring, owner: string): ContentEventDeps {
  return { content: contentStore(w), clock: w.platform.clock, alerts: contentAlerts(planning(w, owner)) };
}

/** What completing a mission's retirement on the plan queue needs, for one invocation. */
export function retirement(w: Wiring, owner: string): RetirementDeps {
  return { ...planning(w, owner), missions: missionCatalogue(w), planQueue: w.platform.planQueue, ids: w.platform.ids, stats: missionStats(w) };
}
