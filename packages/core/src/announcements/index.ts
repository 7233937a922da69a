/**
 * Announcements: staff launch announcements from draft to send, schedule, pause, resume and cancel,
 * previews and test sends, planning them as campaigns, and the automatic pause. Adapters (the
 * DynamoDB announcement store, EventBridge Scheduler) are imported by path.
 */
export * from "./announcement";
export * from "./auto-pause";
export * from "./plan-announcement";
export * from "./ports";
export * from "./schedule-time";
export * from "./schema";
export * from "./test-send";
