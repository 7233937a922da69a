import type { Clock } from "../platform/ports";
import type { ContentAlerts, ContentStore, ItemLeftOut, StoredContent } from "./ports";
import { materialChange, type ContentEvent, type ContentItem, type Seminar } from "./schema";

export type ContentOutcome = {
  /** "stored": a newer version was written; "replayed": the same version again; "stale": an older one, ignored. */
  result: "stored" | "replayed" | "stale";
  /** The mail this event caused, if any. */
  mail: "alert" | "changed-notice" | "none";
  planned: number;
  /** Set when the item cannot be put into an email: it is stored, but nobody is alerted. */
  leftOut?: ItemLeftOut;
};

/** What applying a content event needs: the content store, the clock and the alert planner. */
export interface ContentEventDeps {
  content: ContentStore;
  clock: Clock;
  alerts: ContentAlerts;
}

/** Whether a published item is still worth an alert: a seminar that has not ended yet, or any article. */
const alertable = (item: ContentItem, nowMs: number) => item.kind !== "seminar" || Date.parse(item.endsAt) > nowMs;

/**
 * Applies one content event. Events are idempotent and ordered by the item's version: replaying the
 * same version changes nothing (it only finishes mail planning a crash may have cut short), and an
 * older version arriving after a newer one is ignored. Writes are conditional on the state read, so
 * two deliveries racing cannot both win. A published item alerts once; an update alerts again only
 * when a seminar's time or place changed, as a "changed" notice to those already alerted.
 * Unpublishing removes the item from future digests.
 *
 * An item that cannot be put into an email (the alert planner's `leftOut`) is stored, for the pages, but alerts
 * nobody and is not counted as alerted, so a corrected version alerts as a new one would; the outcome
 * says why. Retrying could not help, and other items' alerts are not held up by it.
 */
export async function applyContentEvent(deps: ContentEventDeps, event: ContentEvent): Promise<ContentOutcome> {
  const { item } = event;
  for (let attempt = 0; attempt < 5; attempt++) {
    const previous = await deps.content.getContent(item.id);
    const now = deps.clock.now();
    if (previous && item.version < previous.item.version) return { result: "stale", mail: "none", planned: 0 };
    if (previous && item.version === previous.item.version) return finishPlanning(deps, previous, "replayed");

    const next: StoredContent = {
      item,
      status: event.type === "content.unpublished" ? "unpublished" : "published",
      alertedVersions: previous?.alertedVersions ?? [],
      updatedAt: new Date(now).toISOString(),
    };
    let mail: ContentOutcome["mail"] = "none";
    const leftOut = next.status === "published" && alertable(item, now) ? deps.alerts.leftOut(item) : undefined;
    if (next.status === "published" && alertable(item, now) && !leftOut) {
      if (next.alertedVersions.length === 0) mail = "alert";
      else if (previous?.status === "published" && materialChange(previous.item, item)) mail = "changed-notice";
    }
    if (mail !== "none") next.alertedVersions = [...next.alertedVersions, item.version];
    // The previous version is kept for the "changed" notice, so a replay can rebuild it.
    if (mail === "changed-notice") next.previousItem = previous!.item;
    if ((await deps.content.putContent(next, previous)) === "conflict") continue;
    if (mail === "none") return { result: "stored", mail, planned: 0, ...(leftOut ? { leftOut } : {}) };
    const planned = mail === "alert" ? await deps.alerts.planItemAlert(next) : await deps.alerts.planChangedNotice(next, previous!.item as Seminar);
    await deps.content.markPlanned(item.id, item.version);
    return { result: "stored", mail, planned: planned.planned };
  }
  throw new Error(`Content item ${item.id}: too many concurrent writes`);
}

/**
 * A replayed version: if its planning finished, nothing (an item version alerts once, whoever
 * subscribed since); otherwise a crash cut planning short, so plan again whatever mail that version
 * caused (planning adds only who is missing) and record it as planned.
 */
async function finishPlanning(deps: ContentEventDeps, stored: StoredContent, result: "replayed"): Promise<ContentOutcome> {
  const version = stored.item.version;
  if (stored.plannedVersion === version) return { result, mail: "none", planned: 0 };
  if (stored.status !== "published" || !stored.alertedVersions.includes(version)) return { result, mail: "none", planned: 0 };
  const outcome = await replan(deps, stored, result);
  if (outcome.mail !== "none") await deps.content.markPlanned(stored.item.id, version);
  return outcome;
}

async function replan(deps: ContentEventDeps, stored: StoredContent, result: "replayed"): Promise<ContentOutcome> {
  const version = stored.item.version;
  // Stored before the item could be checked: it alerts nobody.
  const leftOut = deps.alerts.leftOut(stored.item);
  if (leftOut) return { result, mail: "none", planned: 0, leftOut };
  if (stored.alertedVersions[0] === version) return { result, mail: "alert", planned: (await deps.alerts.planItemAlert(stored)).planned };
  const previousItem = stored.previousItem;
  if (!previousItem || !materialChange(previousItem, stored.item)) return { result, mail: "none", planned: 0 };
  return { result, mail: "changed-notice", planned: (await deps.alerts.planChangedNotice(stored, previousItem as Seminar)).planned };
}
