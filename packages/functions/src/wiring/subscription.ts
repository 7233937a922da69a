import { DynamoSubscriberStore } from "@mission-mail/core/subscription/dynamo-subscriber-store";
import type { ImportDeps } from "@mission-mail/core/subscription/import-subscribers";
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

/**
 * What adding a subscriber from a staff import needs. The send queue is reached only when a
 * confirmation is sent.
 */
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

/**
 * What taking a sign-up request (the API route and the page form) needs: the missions, the rate
 * limiter, the store of requests and the sign-up queue. Nothing that reads an address's state.
 */
export const signUpRequests = perWiring((w) => {
  const cfg = w.config;
  const store = subscriberStore(w);
  return {
    store,
    limiter: store,
    get queue() {
      return w.platform.signUpQueue;
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

/** What the sign-up worker needs: the subscriber store and the send queue (confirmations, preference links). */
export const signUpWorker = perWiring((w) => ({
  store: subscriberStore(w),
  get queue() {
    return w.platform.sendQueue;
  },
  clock: w.platform.clock,
}));

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

/**
 * What the staff import needs: sign-up's dependencies (the queue still reached only when used), plus
 * the audit log and mission stats; `onRowError` reports a row that failed unexpectedly.
 */
export function importing(w: Wiring, onRowError: (line: number, err: unknown) => void): ImportDeps {
  const own = { audit: auditLog(w), stats: missionStats(w), onRowError };
  return Object.defineProperties(own, Object.getOwnPropertyDescriptors(signUp(w))) as typeof own & ReturnType<typeof signUp>;
}

/** What the staff export needs. */
export const exporting = perWiring((w) => ({ directory: subscriberStore(w), audit: auditLog(w), clock: w.platform.clock, ids: w.platform.ids }));
