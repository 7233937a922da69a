/**
 * Announcements: staff launch announcements from draft to send, schedule, pause, resume and cancel,
 * previews and test sends, the four-eyes approval and the pre-send checks, planning them as
 * campaigns, and the automatic pause. Adapters (the DynamoDB announcement store, EventBridge
 * Scheduler, the link probe) are imported by path.
 */
export * from "./announcement";
export * from "./approval";
export * from "./checks";
export * from "./review";
export * from "./auto-pause";
export * from "./plan-announcement";
export * from "./ports";
export * from "./schedule-time";
export * from "./schema";
export * from "./test-send";
