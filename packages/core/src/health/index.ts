/** Health: the service's figures against their thresholds for staff (rates, suppressions, dead letters, digest runs, approvals). */
export * from "./ports";
export * from "./service-health";
export * from "./thresholds";
