/** The Mission Mail domain. Each module is a namespace; adapters are imported by path. */
export * as Subscription from "./subscription/subscribe";
export * as Confirmation from "./subscription/confirm";
export * as Consent from "./consent/ledger";
export * as Policies from "./consent/policies";
export * as Tokens from "./shared/tokens";
export * as Delivery from "./campaigns/send-transactional";
export * as Missions from "./missions/catalogue";
export * as Keys from "./platform/table-keys";
export * as Audit from "./audit/audit-log";
export * as Staff from "./staff/identity";
export * as MissionAdmin from "./missions/manage-missions";
export * as MissionRetirement from "./missions/retire-mission";
export * as SubscriberImport from "./subscription/import-subscribers";
export * as SubscriberExport from "./subscription/export-subscribers";
export * as Announcement from "./announcements/announcement";
export { AppError } from "./shared/errors";
