/** Stats: per-mission daily counters and subscriber totals for the staff charts. The DynamoDB store is imported by path. */
export * from "./mission-stats";
export * from "./ports";
export * from "./service-totals";
