import { DynamoMissionStats } from "@mission-mail/core/stats/dynamo-mission-stats";
import { DynamoServiceTotals } from "@mission-mail/core/stats/dynamo-service-totals";
import { perWiring } from "./wiring";

/** The per-mission counters behind the staff charts. */
export const missionStats = perWiring((w) => new DynamoMissionStats(w.platform.db, w.config.TABLE_NAME));

/** The service-wide daily totals behind the health view (emails sent, bounces, complaints, suppressions). */
export const serviceTotals = perWiring((w) => new DynamoServiceTotals(w.platform.db, w.config.TABLE_NAME));
