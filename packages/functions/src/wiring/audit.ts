import { DynamoAuditLog } from "@mission-mail/core/audit/dynamo-audit-log";
import { perWiring } from "./wiring";

/** The append-only log of staff actions. */
export const auditLog = perWiring((w) => new DynamoAuditLog(w.platform.db, w.config.TABLE_NAME));

/** What recording a staff action needs. */
export const auditing = perWiring((w) => ({ audit: auditLog(w), clock: w.platform.clock, ids: w.platform.ids }));
