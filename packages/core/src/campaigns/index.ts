/**
 * Campaigns: planning and sending. The durable outbox (campaigns, frozen batches, variants), the paced
 * sender with its backoff, transactional sends, and the ports of the mail service and the send rate.
 * Adapters (DynamoDB outbox and pacer, SES mailer) are imported by path, never from here.
 */
export * from "./backoff";
export * from "./plan-campaign";
export * from "./ports";
export * from "./recipient-links";
export * from "./recipient-outcome";
export * from "./send-batch";
export * from "./send-transactional";
export * from "./deliver";
export * from "./sweep";
