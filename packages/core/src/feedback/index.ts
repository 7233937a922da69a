/** Feedback: what SES's events change (suppression, unsubscribes, campaign counters, delivery history). The DynamoDB store is imported by path. */
export * from "./apply-feedback";
export * from "./ports";
export * from "./ses-event";
export * from "./ses-feedback";
