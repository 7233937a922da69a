import { DynamoMissionStats } from "@mission-mail/core/stats/dynamo-mission-stats";
import { perWiring } from "./wiring";

/** The per-mission counters behind the staff charts. */
export const missionStats = perWiring((w) => new DynamoMissionStats(w.platform.db, w.config.TABLE_NAME));
