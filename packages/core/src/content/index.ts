/**
 * Content: the CMS's items and their events, the content store, and what applying an event does
 * (store the version, then hand it to the alert planner through the `ContentAlerts` port). The
 * DynamoDB content store is imported by path.
 */
export * from "./apply";
export * from "./ports";
export * from "./sample";
export * from "./schema";
export * from "./url";
