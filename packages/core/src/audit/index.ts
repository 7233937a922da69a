/** Audit: the append-only log of staff actions. The DynamoDB log is imported by path. */
export * from "./audit-log";
export * from "./ports";
