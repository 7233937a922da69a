/** Retention: the daily sweep that keeps each kind of data only as long as docs/retention.md says. The DynamoDB store is imported by path. */
export * from "./ports";
export * from "./sweep-retention";
