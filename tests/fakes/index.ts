/**
 * In-memory fakes of the core's ports, for unit tests of the use cases. Each keeps the adapter's
 * rules that the use cases rely on (conditional writes, TTL filtered at read time, idempotent claims,
 * leases), so a use case behaves against them as it does against DynamoDB Local and the SES emulator.
 */
export * from "./platform";
export * from "./subscription";
export * from "./campaigns";
export * from "./content";
export * from "./digest";
export * from "./feedback";
export * from "./departures";
export * from "./staff";
export * from "./world";
export * from "./retention";
export * from "./sign-up";
