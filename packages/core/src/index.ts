/**
 * The Mission Mail domain, one namespace per capability. Adapters are not part of it: wiring imports
 * them by path (e.g. `@mission-mail/core/campaigns/dynamo-outbox`).
 */
export * as Announcements from "./announcements";
export * as Audit from "./audit";
export * as Campaigns from "./campaigns";
export * as Consent from "./consent";
export * as Content from "./content";
export * as Digest from "./digest";
export * as Emails from "./emails";
export * as Feedback from "./feedback";
export * as Health from "./health";
export * as Missions from "./missions";
export * as Staff from "./staff";
export * as Stats from "./stats";
export * as Subscription from "./subscription";
export * as Keys from "./platform/table-keys";
export * as Tokens from "./shared/tokens";
export { AppError } from "./shared/errors";
