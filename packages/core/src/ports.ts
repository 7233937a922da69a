import type { Campaign } from "./campaigns";
import type { Mission } from "./shared/missions";
import type { ConsentRecord } from "./consent/ledger";
import type { Preferences } from "./subscription/schema";
import type { Cadence, CampaignKind, Language } from "./shared/vocabulary";
import type { ContentItem } from "./content/schema";
import type { CompiledVariant } from "./emails/compiled-variant";
import type { Announcement, PausedReason } from "./announcement/schema";

/** A campaign counter SES feedback moves. */
export type FeedbackCounter = "delivered" | "bounced" | "softBounced" | "complained" | "rejected" | "renderingFailed" | "delayed" | "opened" | "clicked" | "unsubscribed";

/** What SES feedback events change, each idempotent on the event id or on its own key. */
export interface FeedbackStore {
  /** Counts an event once for its campaign (if it has one): false if this event id was already counted. */
  countOnce(eventId: string, campaignKey: string | undefined, counter: FeedbackCounter, nowMs: number): Promise<boolean>;
  /** Records a soft bounce under its event id and answers how many the address had within `windowMs`. */
  softBounce(addressHmac: string, eventId: string, atMs: number, windowMs: number): Promise<number>;
  /**
   * A batch entry SES accepted and then could not render: marks it failed with the reason and moves
   * the campaign's counters from sent to failed, once.
   */
  markEntryFailed(campaignKey: string, batch: number, subscriberId: string, reason: string): Promise<boolean>;
  /** Adds what SES reported to the recipient's delivery record, if there is one. */
  noteDelivery(subscriberId: string, campaignKey: string, event: string, at: string): Promise<void>;
}

/** A mission as staff manage it: the catalogue entry with its version, for optimistic concurrency. */
export interface ManagedMission extends Mission {
  /** Goes up by one with every change; an edit names the version it started from. */
  version: number;
  createdAt?: string;
  updatedAt?: string;
  retiredAt?: string;
}

/** The missions catalogue, as staff change it without a deploy. Items: `PK=MISSIONS`, `SK=MISSION#<id>`. */
export interface MissionCatalogue {
  /** Every mission, retired ones included. */
  listAll(): Promise<ManagedMission[]>;
  get(missionId: string): Promise<ManagedMission | undefined>;
  /** Adds a mission at version 1; "exists" if the id is taken. */
  add(mission: ManagedMission): Promise<"added" | "exists">;
  /** Replaces name, description and contact if the stored version is still `expectedVersion`. */
  update(mission: ManagedMission, expectedVersion: number): Promise<"updated" | "conflict">;
  /** Marks a mission retired (once; retiring again changes nothing) and answers it as stored. */
  retire(missionId: string, at: string): Promise<ManagedMission | undefined>;
}

/** Staff announcements, by id and newest first. */
export interface AnnouncementStore {
  /** Writes a new announcement once (conditional on its id being free). */
  createAnnouncement(announcement: Announcement): Promise<void>;
  getAnnouncement(id: string): Promise<Announcement | undefined>;
  /** Replaces an announcement only if it is still at `expectedVersion`; false means someone else changed it first. */
  replaceAnnouncement(next: Announcement, expectedVersion: number): Promise<boolean>;
  /** Announcements newest first, `limit` at a time; `before` is the `next` of the previous page. */
  listAnnouncements(options: { limit: number; before?: string }): Promise<{ announcements: Announcement[]; next?: string }>;
}

/** A campaign's header as staff follow it: the outbox counters, SES feedback counters and why it is paused. */
export interface CampaignStatus extends Campaign {
  delivered?: number;
  bounced?: number;
  complained?: number;
  unsubscribed?: number;
  pausedReason?: PausedReason;
  /** When it was last resumed, and the counters then: the automatic pause measures what came after. */
  resumedAt?: string;
  baseSent?: number;
  baseBounced?: number;
  baseComplained?: number;
}

/** Staff control over a campaign that is sending: pause, resume and cancel, each a conditional update of its state. */
export interface CampaignControl {
  campaignStatus(key: string): Promise<CampaignStatus | undefined>;
  /**
   * Pauses a planning or sending campaign; false if it was not in one of those states. `resumedAt`,
   * when given, must still be the campaign's, so a decision made on counters read before a resume
   * cannot pause what was resumed since.
   */
  pauseCampaign(key: string, reason: PausedReason, expected?: { resumedAt: string | undefined }): Promise<boolean>;
  /** Resumes a paused campaign and notes the counters at this moment; false if it was not paused. */
  resumeCampaign(key: string, at: string): Promise<boolean>;
  /** Cancels a campaign that has not finished; false if it was done or cancelled already. */
  cancelCampaign(key: string, at: string): Promise<boolean>;
  /** The batches of a campaign that are not sent yet. */
  unsentBatches(key: string): Promise<number[]>;
  /** Marks a sending campaign done if every batch is (after a resume, when the last batches finished while paused). */
  finishIfDone(key: string): Promise<void>;
}

/**
 * One-off schedules for announcements: at the instant, a `plan-announcement` job naming it reaches the
 * plan queue. EventBridge Scheduler in AWS (a schedule per announcement and instant, deleted after it
 * runs); the local scheduler's clock locally. Both calls are idempotent.
 */
export interface AnnouncementScheduler {
  schedule(announcementId: string, atMs: number): Promise<void>;
  unschedule(announcementId: string, atMs: number): Promise<void>;
}
