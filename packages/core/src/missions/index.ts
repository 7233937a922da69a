/**
 * Missions: the catalogue as staff manage it (add, edit, retire) and the retirement job that tells a
 * retired mission's followers and lets them go. The DynamoDB catalogue is imported by path.
 */
export * from "./catalogue";
export * from "./manage-missions";
export * from "./ports";
export * from "./retire-mission";
