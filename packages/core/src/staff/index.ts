/** Staff: who staff are (identity from verified token claims, the staff group). The JWT verifier is imported by path. */
export * from "./identity";
export * from "./ports";
