/** Stages whose data must survive a `sst remove` and a mistaken deploy. */
const PROD_STAGES = new Set(["prod", "production"]);

/** Whether a stage holds real subscribers: its stateful resources are retained and delete-protected. */
export const isProdStage = (stage: string): boolean => PROD_STAGES.has(stage);
