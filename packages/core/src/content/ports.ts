import type { ContentItem, Seminar } from "./schema";

/** A content item as stored: its newest version, publishing state and which versions were alerted. */
export interface StoredContent {
  item: ContentItem;
  status: "published" | "unpublished";
  /** Versions for which an alert or a "changed" notice campaign was planned. */
  alertedVersions: number[];
  updatedAt: string;
  /** The version before a material change, kept for the "changed" notice. */
  previousItem?: ContentItem;
  /**
   * The version whose mail planning finished: a replay of it (a duplicate delivery, a replayed webhook)
   * plans nothing, so nobody who subscribed since is alerted about an old item.
   */
  plannedVersion?: number;
}

/** Content by id, and by mission and date for digests. */
export interface ContentStore {
  getContent(itemId: string): Promise<StoredContent | undefined>;
  /**
   * Writes a new state of an item and its per-mission index entries, all or nothing, only if the
   * stored state is still `previous` (optimistic concurrency): "conflict" means someone else wrote.
   */
  putContent(next: StoredContent, previous: StoredContent | undefined): Promise<"written" | "conflict">;
  /** Records that the mail of an item's current `version` is planned in full (nothing if the item has moved on). */
  markPlanned(itemId: string, version: number): Promise<void>;
  /** Seminars of a mission starting in [fromIso, toIso), by start time. */
  upcomingSeminars(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]>;
  /** Publications and news of a mission published in [fromIso, toIso). */
  articlesBetween(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]>;
}

/**
 * Plans the mail a stored content version causes: an alert to the immediate subscribers of a newly
 * published item, or a "changed" notice to those already alerted about a seminar; each answers how
 * many recipients it added. The digest capability's alert planner implements it.
 */
export interface ContentAlerts {
  planItemAlert(stored: StoredContent): Promise<{ planned: number }>;
  planChangedNotice(stored: StoredContent, previous: Seminar): Promise<{ planned: number }>;
  /** Why an item cannot be put into an alert email (a link the URL rule refuses, a date that cannot be formatted), if it cannot. */
  leftOut(item: ContentItem): ItemLeftOut | undefined;
}

/**
 * A content item a planner left out of its emails because it cannot be put into one (a link the URL
 * rule refuses, a date that cannot be formatted): the other items still go out.
 */
export interface ItemLeftOut {
  code: "item_left_out";
  itemId: string;
  version: number;
  /** Why, in English, for staff and the logs. */
  reason: string;
}
