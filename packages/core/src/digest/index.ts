/**
 * Digest: planning digests and alerts. Digest periods and their calendar, digest runs, content alerts
 * with their per-subscriber alert windows. Adapters (DynamoDB alert windows and runs) are imported by path.
 */
export * from "./alerts";
export * from "./calendar";
export * from "./plan-digest";
export * from "./ports";
export * from "./run-status";
export * from "./runs";
