import type { Campaign } from "../campaigns";
import type { Announcement, PausedReason } from "./schema";

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

/** What requesting a link found: it answered (`ok`, or `broken` with the HTTP status), did not answer in time, or was not requested. */
export interface LinkProbeResult {
  url: string;
  status: "ok" | "broken" | "unreachable" | "not-checked";
  httpStatus?: number;
}

/**
 * Requests a link to see whether it works, for the pre-send checks: HEAD, then GET where HEAD is
 * refused, with a short timeout. Over HTTPS in AWS; where the service has no way out (the local
 * cloud, tests) an adapter answers `not-checked`.
 */
export interface LinkProbe {
  probe(url: string): Promise<LinkProbeResult>;
}
