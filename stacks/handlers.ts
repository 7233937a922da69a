/**
 * The Lambda handlers that are not HTTP routes (those are in packages/functions/src/routes.ts), as
 * files under packages/functions/src. The pipeline stack and the bundle-size check read this list.
 */
export const PIPELINE_HANDLERS = {
  /** EventBridge target for `missions.content` events: stores content, plans alerts. */
  content: "events/content",
  /** Target of the SES feedback rule on the default bus: suppression, unsubscribes, campaign counters. */
  feedback: "events/ses-feedback",
  /** Consumer of the plan queue: digest runs and alert-window flushes (compiles MJML). */
  plan: "queues/plan",
  /** Consumer of the send queue: transactional mail and campaign batches (never MJML). */
  sender: "queues/send-mail",
  /** Every minute: re-enqueues campaign batches whose lease expired. */
  sweep: "schedules/sweep",
} as const;
