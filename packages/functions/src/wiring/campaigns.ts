import { chunkSizeFor, type SendJobDeps } from "@mission-mail/core/campaigns/deliver";
import { DynamoOutbox } from "@mission-mail/core/campaigns/dynamo-outbox";
import { DynamoSendPacer } from "@mission-mail/core/campaigns/dynamo-send-pacer";
import type { SweepDeps } from "@mission-mail/core/campaigns/sweep";
import { nextDigestRun } from "@mission-mail/core/digest/calendar";
import { missionStats, serviceTotals } from "./stats";
import { subscriberStore } from "./subscription";
import { perWiring } from "./wiring";

/** The outbox: campaigns, their variants and frozen batches (a wrapped one where the wiring was given one). */
export const outbox = perWiring((w) => w.adapters.outbox ?? new DynamoOutbox(w.platform.db, w.config.TABLE_NAME));

/** The shared send rate. */
export const sendPacer = perWiring((w) => new DynamoSendPacer(w.platform.db, w.config.TABLE_NAME, w.config.SEND_RATE_PER_SECOND));

/** The sender's dependencies: campaign batches and transactional mail, and the send queue a throttled batch goes back to. */
export const sender = perWiring((w): SendJobDeps => {
  const cfg = w.config;
  const p = w.platform;
  const store = subscriberStore(w);
  return {
    batch: {
      outbox: outbox(w),
      store,
      mailer: p.mailer,
      pacer: sendPacer(w),
      stats: missionStats(w),
      totals: serviceTotals(w),
      clock: p.clock,
      tokenKeys: cfg.TOKEN_KEYS,
      publicUrl: cfg.PUBLIC_URL,
      unsubscribeMailto: cfg.UNSUBSCRIBE_MAILTO,
      replyTo: cfg.REPLY_TO,
      ...(cfg.CONFIGURATION_SET ? { configurationSet: cfg.CONFIGURATION_SET } : {}),
      ...(cfg.CONFIGURATION_SET_TRACKING ? { trackingConfigurationSet: cfg.CONFIGURATION_SET_TRACKING } : {}),
      ...(cfg.CONFIGURATION_SET_ALERTS ? { alertConfigurationSet: cfg.CONFIGURATION_SET_ALERTS } : {}),
      ...(cfg.CONFIGURATION_SET_ALERTS_TRACKING ? { alertTrackingConfigurationSet: cfg.CONFIGURATION_SET_ALERTS_TRACKING } : {}),
      alertMaxDeliveryMs: cfg.ALERT_MAX_DELIVERY_SECONDS * 1000,
      leaseMs: cfg.SENDER_LEASE_SECONDS * 1000,
      maxPacingWaitMs: 10_000,
      mode: cfg.SEND_MODE,
      chunkSize: chunkSizeFor(cfg.SEND_RATE_PER_SECOND),
    },
    transactional: {
      store,
      mailer: p.mailer,
      clock: p.clock,
      tokenKeys: cfg.TOKEN_KEYS,
      publicUrl: cfg.PUBLIC_URL,
      replyTo: cfg.REPLY_TO,
      unsubscribeMailto: cfg.UNSUBSCRIBE_MAILTO,
      nextDigestRun,
      totals: serviceTotals(w),
      ...(cfg.CONFIGURATION_SET ? { configurationSet: cfg.CONFIGURATION_SET } : {}),
    },
    get sendQueue() {
      return p.sendQueue;
    },
  };
});

/** The sweeper's dependencies. */
export const sweeping = perWiring(
  (w): SweepDeps => ({
    outbox: outbox(w),
    get sendQueue() {
      return w.platform.sendQueue;
    },
    clock: w.platform.clock,
  }),
);
