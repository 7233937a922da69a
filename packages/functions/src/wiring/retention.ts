import { DynamoRetentionStore } from "@mission-mail/core/retention/dynamo-retention-store";
import { staffPseudonym, type RetentionDeps } from "@mission-mail/core/retention/sweep-retention";
import { subscriberStore } from "./subscription";
import { perWiring } from "./wiring";

/** The retention sweep's indexes and its last report. */
export const retentionStore = perWiring((w) => new DynamoRetentionStore(w.platform.db, w.config.TABLE_NAME));

/** The retention sweep's dependencies: its store, the subscribers' erasure, and the audit pseudonym's key. */
export const retaining = perWiring((w): RetentionDeps => {
  const cfg = w.config;
  return {
    retention: retentionStore(w),
    subscribers: subscriberStore(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    // Read when an old audit entry is pseudonymised, not before: the pepper is a secret.
    pseudonym: (address) => staffPseudonym(cfg.ADDRESS_PEPPER, address),
    periods: {
      unsubscribedDays: cfg.RETENTION_UNSUBSCRIBED_DAYS,
      deliveryMonths: cfg.RETENTION_DELIVERY_MONTHS,
      batchDays: cfg.RETENTION_BATCH_DAYS,
      auditMonths: cfg.RETENTION_AUDIT_MONTHS,
      pageSize: cfg.RETENTION_PAGE_SIZE,
      maxPages: cfg.RETENTION_MAX_PAGES,
    },
  };
});
