/**
 * How every function is bundled, the HTTP functions (one per audience, packages/functions/src/http/)
 * and the pipeline's alike: the app's defaults (sst.config.ts: minified ESM) plus code splitting.
 * Whatever a module imports on demand ships as its own chunk and loads when first used, not on every
 * cold start: an HTTP function's route modules, MJML (the planner's and the content function's digest
 * skeletons and alerts, the staff console's previews and test sends), the SQS, SES and EventBridge
 * clients, the SSM client that loads the stage's secrets, and the SDK's rarer credential providers.
 * scripts/bundle-sizes.ts bundles them the same way.
 */
export const FUNCTION_BUNDLING = { format: "esm", minify: true, splitting: true } as const;

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
  /** Consumer of the sign-up queue: decides each request (new, pending or already active) off the request path. */
  signUp: "queues/sign-up",
  /** Every minute: re-enqueues campaign batches whose lease expired. */
  sweep: "schedules/sweep",
  /** Daily: the retention sweep (docs/retention.md). */
  retention: "schedules/retention",
} as const;

/** Handlers the stacks build only when a setting asks for them (see stacks/mail.ts). */
export const OPTIONAL_HANDLERS = {
  /** With INBOUND_UNSUBSCRIBE=1: the SES receipt rule's action for the `mailto:` unsubscribe address. */
  inboundUnsubscribe: "events/inbound-unsubscribe",
} as const;
