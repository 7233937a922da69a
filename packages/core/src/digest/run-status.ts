import type { Campaign } from "../campaigns";
import type { PausedReason } from "../announcements";
import type { ItemLeftOut } from "../content";
import type { DigestRun } from "./ports";

/** A digest run as staff see it: its own state until planned, then its campaign's, with the counters. */
export interface RunStatus {
  runId: string;
  campaign: string;
  cadence: "daily" | "weekly" | "monthly";
  period: string;
  state: "queued" | "planning" | "failed" | "sending" | "paused" | "cancelled" | "done";
  planned: number;
  sent: number;
  /** Includes subscribers whose digest would have been empty. */
  skipped: number;
  failed: number;
  createdAt: string;
  error?: string;
  /** Set when the period had no new content for anyone, so nothing was sent and no campaign opened. */
  nothingNew?: true;
  /** Items the run left out of every digest because they could not be put into an email; empty if none. */
  warnings: ItemLeftOut[];
  /** Why it is paused (only while `paused`): for the automatic pause, the rate that passed its limit, with the figures. */
  pausedReason?: PausedReason;
}

/** Combines a run with its campaign's state and counters, and why the campaign is paused if it is. */
export function runStatus(run: DigestRun, campaign: (Campaign & { pausedReason?: PausedReason }) | undefined): RunStatus {
  const state =
    run.state === "queued" || run.state === "planning" || run.state === "failed"
      ? run.state
      : run.nothingNew
        ? "done"
        : campaign?.state === "done" || campaign?.state === "paused" || campaign?.state === "cancelled"
          ? campaign.state
          : "sending";
  return {
    runId: run.runId,
    campaign: run.campaign,
    cadence: run.cadence,
    period: run.period,
    state,
    planned: campaign?.planned ?? 0,
    sent: campaign?.sent ?? 0,
    skipped: (campaign?.skipped ?? 0) + run.empty,
    failed: campaign?.failed ?? 0,
    createdAt: run.createdAt,
    ...(run.error ? { error: run.error } : {}),
    warnings: run.warnings ?? [],
    ...(run.nothingNew ? { nothingNew: true as const } : {}),
    ...(state === "paused" && campaign?.pausedReason ? { pausedReason: campaign.pausedReason } : {}),
  };
}
