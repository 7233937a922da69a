/**
 * Subscription: signing up with double opt-in, confirming, the preference centre, unsubscribing,
 * data rights (export, erasure), and staff imports and exports of subscribers. The DynamoDB
 * subscriber store is imported by path.
 */
export * from "./cadences";
export * from "./confirm";
export * from "./data-rights";
export * from "./export-subscribers";
export * from "./import-subscribers";
export * from "./migrate-cadences";
export * from "./ports";
export * from "./preferences";
export * from "./process-sign-up";
export * from "./schema";
export * from "./subscribe";
export * from "./unsubscribe";
export * from "./unsubscribe-by-email";
