import type { MissionAdminDeps } from "@mission-mail/core/missions/manage-missions";
import { DynamoMissionCatalogue } from "@mission-mail/core/missions/dynamo-mission-catalogue";
import { auditLog } from "./audit";
import { perWiring } from "./wiring";

/** The missions catalogue as staff manage it (add, edit, retire). */
export const missionCatalogue = perWiring((w) => new DynamoMissionCatalogue(w.platform.db, w.config.TABLE_NAME));

/** What the staff mission routes need; the plan queue is reached only when a mission is retired. */
export const missionAdmin = perWiring(
  (w): MissionAdminDeps => ({
    missions: missionCatalogue(w),
    audit: auditLog(w),
    clock: w.platform.clock,
    ids: w.platform.ids,
    get planQueue() {
      return w.platform.planQueue;
    },
  }),
);
