/** Consent: the append-only ledger's records and the consent texts per policy version. */
export * from "./ledger";
export * from "./policies";
export * from "./ports";
