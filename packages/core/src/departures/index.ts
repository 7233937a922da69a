/**
 * Departures: why people leave. The optional question after an unsubscribe, its answers stored
 * without the address (only the reason, free text, missions and campaign), and their summary per
 * mission and period for staff. The DynamoDB store is imported by path.
 */
export * from "./departure-reasons";
export * from "./ports";
