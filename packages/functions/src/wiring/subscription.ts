import { DynamoSubscriberStore } from "@mission-mail/core/subscription/dynamo-subscriber-store";
import { auditLog } from "./audit";
import { feedbackStore } from "./feedback";
import { missionStats } from "./stats";
import { perWiring, type Wiring } from "./wiring";

/** Subscribers, their missions directory, rate limits and suppression: one DynamoDB store. */
export const subscriberStore = perWiring((w) => new DynamoSubscriberStore(w.platform.db, w.config.TABLE_NAME));

/** What the self-service use cases (confirmation, preferences, data rights, unsubscribe) need. */
export const selfService = perWiring((w) => ({
  store: subscriberStore(w),
  stats: missionStats(w),
  clock: w.platform.clock,
  ids: w.platform.ids,
  tokenKeys: w.config.TOKEN_KEYS,
}));

/** What confirmation needs: self-service and the send queue for the welcome (reached only when one is queued). */
export const confirming = perWiring((w) => ({
  ...selfService(w),
  get queue() {
    return w.platform.sendQueue;
  },
}));

/** What sign-up needs, for the API route and the page form alike. The send queue is reached only when a confirmation is sent. */
export const signUp = perWiring((w) => {
  const cfg = w.config;
  const store = subscriberStore(w);
  return {
    store,
    limiter: store,
    get queue() {
      return w.platform.sendQueue;
    },
    clock: w.platform.clock,
    ids: w.platform.ids,
    settings: {
      addressPepper: cfg.ADDRESS_PEPPER,
      ipSalt: cfg.IP_SALT,
      rateLimitPerAddress: cfg.RATE_LIMIT_PER_ADDRESS,
      rateLimitPerIp: cfg.RATE_LIMIT_PER_IP,
      rateWindowSeconds: cfg.RATE_WINDOW_SECONDS,
    },
  };
});

/** What a data-rights request (export or erasure by email) needs: self-service, the rate limiter and the send queue. */
export const dataRights = perWiring((w) => ({
  ...selfService(w),
  limiter: subscriberStore(w),
  get queue() {
    return w.platform.sendQueue;
  },
}));

/** What unsubscribing needs: self-service and the campaign feedback an unsubscribe from a campaign link counts in. */
export const unsubscribing = perWiring((w) => ({ ...selfService(w), feedback: feedbackStore(w) }));

/** What the staff import needs; `onRowError` reports a row that failed unexpectedly. */
export function importing(w: Wiring, onRowError: (line: number, err: unknown) => void) {
  const cfg = w.config;
  const store = subscriberStore(w);
  return {
    store,
    limiter: store,
    get queue() {
      return w.platform.sendQueue;
    },
    audit: auditLog(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    stats: missionStats(w),
    onRowError,
    settings: { addressPepper: cfg.ADDRESS_PEPPER, rateLimitPerAddress: cfg.RATE_LIMIT_PER_ADDRESS, rateWindowSeconds: cfg.RATE_WINDOW_SECONDS },
  };
}

/** What the staff export needs. */
export const exporting = perWiring((w) => ({ directory: subscriberStore(w), audit: auditLog(w), clock: w.platform.clock, ids: w.platform.ids }));
