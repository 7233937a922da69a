import { applyFeedback, type FeedbackDeps, type FeedbackOutcome } from "./apply-feedback";
import type { SesEventDetail } from "./ses-event";

/** Whether an SES event counts against a campaign's reputation: a complaint or a permanent bounce. */
export const isHarmful = (detail: SesEventDetail): boolean =>
  detail.eventType === "Complaint" || (detail.eventType === "Bounce" && detail.bounce?.bounceType === "Permanent");

/** What to do about a campaign that just had harmful feedback (the announcements' auto-pause check), and what it did. */
export type OnHarmfulFeedback<R> = (campaign: string) => Promise<R | undefined>;

/**
 * Applies one SES event (`applyFeedback`) and, when it is harmful (`isHarmful`) and names a
 * campaign, hands the campaign to `onHarmful`: where complaints and hard bounces are counted, an
 * announcement may have to pause by itself. It is called on every such event, counted now or before,
 * so a retry after a failed check checks again. Answers the feedback's outcome and what `onHarmful`
 * answered.
 */
export async function recordSesFeedback<R>(
  deps: FeedbackDeps & { onHarmful: OnHarmfulFeedback<R> },
  eventId: string,
  detail: SesEventDetail,
): Promise<{ outcome: FeedbackOutcome; harmful?: R }> {
  const outcome = await applyFeedback(deps, eventId, detail);
  const harmful = isHarmful(detail) && outcome.campaign ? await deps.onHarmful(outcome.campaign) : undefined;
  return { outcome, ...(harmful !== undefined ? { harmful } : {}) };
}
