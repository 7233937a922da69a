import type { ItemLeftOut } from "../content";

/**
 * Per-subscriber alert windows, so a burst of items (a CMS bulk import) becomes one email: the first
 * alert opens a window and goes out at once; items inside the window are collected and sent together
 * when it ends. Item references are `<item id>#<version>`.
 */
export interface AlertWindows {
  /** Opens a window ending at `windowEndsAt` unless one is open; answers the open window's end either way. */
  open(subscriberId: string, itemRef: string, nowMs: number, windowEndsAt: number): Promise<{ opened: boolean; windowEndsAt: number }>;
  /** Collects an item into a window: "first" if it is the window's first collected item, "closed" if already flushed. */
  collect(subscriberId: string, windowEndsAt: number, itemRef: string): Promise<"first" | "added" | "closed">;
  /** Closes a window's collection for good and returns its items. Idempotent. */
  close(subscriberId: string, windowEndsAt: number): Promise<string[]>;
  /** A subscriber's windows that are not flushed yet, with what each collected. */
  unflushed(subscriberId: string): Promise<{ windowEndsAt: number; items: string[] }[]>;
  /** Takes items out of a window that is not flushed yet; a window flushed meanwhile is left as it is. */
  discard(subscriberId: string, windowEndsAt: number, itemRefs: string[]): Promise<void>;
}

/** A digest run, started on demand or by the schedule. */
export interface DigestRun {
  runId: string;
  cadence: "daily" | "weekly" | "monthly";
  period: string;
  campaign: string;
  state: "queued" | "planning" | "planned" | "failed";
  /** Recipients this run planned, and those it left out because their digest would be empty. */
  planned: number;
  empty: number;
  createdAt: string;
  error?: string;
  /** Set when the period had no new content for anyone: nothing was planned and no campaign opened. */
  nothingNew?: true;
  /** What the run left out and staff should know about; absent when there was nothing. */
  warnings?: ItemLeftOut[];
}

/** Digest runs, for status polling and the staff console. */
export interface DigestRunStore {
  putRun(run: DigestRun): Promise<void>;
  getRun(runId: string): Promise<DigestRun | undefined>;
  /** The latest runs, newest first. */
  listRuns(limit: number): Promise<DigestRun[]>;
}
