import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { BatchOutcome } from "@mission-mail/core/campaigns/send-batch";
import type { ItemLeftOut } from "@mission-mail/core/content/ports";
import type { TransactionalOutcome } from "@mission-mail/core/campaigns/send-transactional";
import type { Wiring } from "../wiring/wiring";
import { logger } from "./logger";

/** The CloudWatch namespace of the app's own metrics. */
export const METRICS_NAMESPACE = "MissionMail";

/** The send path's metrics, as CloudWatch shows them (namespace MissionMail, dimensions service and stage). */
export const SendMetric = {
  /** Campaign recipients SES accepted. */
  RecipientsSent: "RecipientsSent",
  /** Campaign recipients not sent at send time: unsubscribed, suppressed, erased, or the campaign cancelled. */
  RecipientsSkipped: "RecipientsSkipped",
  /** Campaign recipients SES refused for good. */
  RecipientsFailed: "RecipientsFailed",
  /** Immediate-alert recipients dropped unsent because their batch reached the sender after its delivery deadline. */
  AlertRecipientsExpired: "AlertRecipientsExpired",
  /** Batches given back for later because SES kept throttling or the shared rate bucket was full. */
  ThrottleReleases: "ThrottleReleases",
  /** Transactional emails (confirmations, data-rights links) sent. */
  TransactionalSent: "TransactionalSent",
  /** Transactional jobs not sent: the subscriber's state changed, the address is suppressed, or it was already sent. */
  TransactionalSkipped: "TransactionalSkipped",
  /** Content items a planner left out of a digest or alert because they cannot be put into an email. */
  ContentItemsLeftOut: "ContentItemsLeftOut",
  /** Bulk sends (announcements, digests, alerts) that paused themselves over the complaint or bounce limit. */
  CampaignsAutoPaused: "CampaignsAutoPaused",
} as const;

/**
 * The send path's metrics as Embedded Metric Format lines in the function's log, which CloudWatch
 * turns into metrics without an API call. Dimensions: `service` and `stage` (the configuration's
 * SST_STAGE, set by `publishingMetrics` when it first publishes, unless `stage` is given here).
 */
export function sendMetrics(stage?: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: "mission-mail", defaultDimensions: stage ? { stage } : {} });
}

/** Counts what one campaign batch did. */
export function countBatch(metrics: Metrics, result: BatchOutcome): void {
  if (result.outcome === "sent") {
    metrics.addMetric(SendMetric.RecipientsSent, MetricUnit.Count, result.sent);
    metrics.addMetric(SendMetric.RecipientsSkipped, MetricUnit.Count, result.skipped);
    metrics.addMetric(SendMetric.RecipientsFailed, MetricUnit.Count, result.failed);
  } else if (result.outcome === "expired") {
    metrics.addMetric(SendMetric.AlertRecipientsExpired, MetricUnit.Count, result.expired);
    metrics.addMetric(SendMetric.RecipientsSkipped, MetricUnit.Count, result.expired);
  } else if (result.outcome === "retry") {
    metrics.addMetric(SendMetric.ThrottleReleases, MetricUnit.Count, 1);
  }
}

/** Counts one transactional job. */
export function countTransactional(metrics: Metrics, outcome: TransactionalOutcome): void {
  metrics.addMetric(outcome === "sent" ? SendMetric.TransactionalSent : SendMetric.TransactionalSkipped, MetricUnit.Count, 1);
}

/**
 * Reports content items a planner left out (a digest run, an alert, a collected alert email): one
 * warning log line per item, with where it was left out, and the count, so an alarm can watch it.
 */
export function reportLeftOut(metrics: Metrics, leftOut: ItemLeftOut[], where: Record<string, unknown>): void {
  for (const item of leftOut) logger.warn("content item left out: it cannot be put into an email", { ...where, ...item });
  if (leftOut.length) metrics.addMetric(SendMetric.ContentItemsLeftOut, MetricUnit.Count, leftOut.length);
}

/** What a wrapped handler is given last: its wiring, or the promise of it (Lambda's, while the secrets load). */
type WiringArg = Wiring | Promise<Wiring>;

/**
 * Wraps a handler so the metrics it stored are published once per invocation, whatever it returns or
 * throws. They are published only in AWS (the wiring's configuration says MODE=aws), with its stage;
 * the local cloud, which runs the same handlers in-process, discards them rather than print metric
 * JSON between its own logs, and so does an invocation whose configuration cannot be read.
 */
export function publishingMetrics<E, C, R>(metrics: Metrics, handler: (event: E, context: C, wiring: WiringArg) => Promise<R>): (event: E, context: C, wiring: WiringArg) => Promise<R> {
  let stage: string | undefined;
  return async (event, context, wiring) => {
    try {
      return await handler(event, context, wiring);
    } finally {
      const config = await Promise.resolve(wiring).then((w) => w.config, () => undefined).catch(() => undefined);
      if (config?.MODE === "aws" && metrics.hasStoredMetrics()) {
        if (stage !== config.SST_STAGE) metrics.setDefaultDimensions({ stage: (stage = config.SST_STAGE) });
        metrics.publishStoredMetrics();
      } else metrics.clearMetrics();
    }
  };
}
