import { missionCharts } from "@mission-mail/core/stats/mission-stats";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * GET /api/staff/stats?days=30&missions=food-system,mobility: per mission and Stockholm day,
 * subscribers at the day's end, and who joined, left, and unsubscribed, emails sent to the mission's
 * followers, bounces and complaints. For the console's charts and `mm stats`.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const q = event.queryStringParameters ?? {};
  const days = q.days === undefined ? 30 : /^\d{1,3}$/.test(q.days) ? Number(q.days) : Number.NaN;
  const missions = q.missions ? q.missions.split(",").map((m) => m.trim()).filter(Boolean).slice(0, 50) : undefined;
  return json(200, await missionCharts({ stats: d.stats, store: d.store, clock: d.clock }, { days, ...(missions ? { missions } : {}) }));
});
