import { recordStaffAction, type AuditLog } from "../audit";
import { AppError } from "../shared/errors";
import type { StaffIdentity } from "../staff";
import type { SubscriberDirectory } from "./ports";
import type { Clock, Ids } from "../platform/ports";
import type { Cadence, Language, Topic } from "../shared/vocabulary";
import { normaliseCadences } from "./cadences";

/** Default and largest page of the staff export. */
export const EXPORT_PAGE = 500;
export const MAX_EXPORT_PAGE = 1000;

export interface ExportDeps {
  directory: SubscriberDirectory;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
}

/** One active subscriber as the staff export lists them: the address and their choices, never a token. */
export interface ExportedSubscriber {
  id: string;
  email: string;
  language: Language;
  missions: string[];
  topics: Topic[];
  cadence: Cadence;
  /** Chosen missions whose cadence differs from `cadence`; absent when there are none. */
  cadenceByMission?: Record<string, Cadence>;
  tracking: boolean;
  createdAt: string;
  confirmedAt?: string;
}

/** The `next`/`after` cursor of a subscriber page: the last subscriber id, base64url. */
export const cursorOf = (subscriberId: string) => Buffer.from(subscriberId, "utf8").toString("base64url");

/** The subscriber id a cursor from `cursorOf` stands for, or undefined for anything else. */
export function subscriberAfter(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(cursor)) return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  return /^[A-Za-z0-9]{1,64}$/.test(id) && cursorOf(id) === cursor ? id : undefined;
}

/**
 * One page of the active subscribers with their choices, for staff (`GET /api/staff/subscribers/export`).
 * Read by Query on the sparse subscriber index and re-read consistently, so nobody erased or
 * unsubscribed is listed. Every page is audited, with how many people it held (never who), before it
 * leaves the server: staff exporting personal data is on record.
 */
export async function exportSubscribers(
  deps: ExportDeps,
  actor: StaffIdentity,
  query: { limit?: string; after?: string },
): Promise<{ subscribers: ExportedSubscriber[]; next?: string }> {
  const limit = query.limit === undefined ? EXPORT_PAGE : Number(query.limit);
  if (!/^\d{1,4}$/.test(query.limit ?? "1") || !Number.isInteger(limit) || limit < 1 || limit > MAX_EXPORT_PAGE) {
    throw new AppError(400, "validation_failed", `limit must be a whole number from 1 to ${MAX_EXPORT_PAGE}.`, [{ field: "limit", message: `a whole number from 1 to ${MAX_EXPORT_PAGE}` }]);
  }
  const after = query.after === undefined ? undefined : subscriberAfter(query.after);
  if (query.after !== undefined && !after) {
    throw new AppError(400, "validation_failed", "after is not a cursor this API gave out; use the next of a previous page.", [{ field: "after", message: "not a cursor from this API" }]);
  }
  const page = await deps.directory.activeSubscribers(limit, deps.clock.now(), after);
  const subscribers = page.subscribers.map((s) => ({
    id: s.id,
    email: s.email,
    language: s.language,
    missions: s.missions,
    topics: s.topics,
    cadence: s.cadence,
    ...(normaliseCadences(s) ? { cadenceByMission: normaliseCadences(s)! } : {}),
    tracking: s.tracking === true,
    createdAt: s.createdAt,
    ...(s.confirmedAt ? { confirmedAt: s.confirmedAt } : {}),
  }));
  await recordStaffAction(deps, actor, "subscribers.export", "subscribers", { count: subscribers.length, page: after ? "next" : "first", limit });
  return { subscribers, ...(page.last ? { next: cursorOf(page.last) } : {}) };
}
