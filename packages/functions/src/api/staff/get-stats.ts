import { missionCharts } from "@mission-mail/core/stats/mission-stats";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { requireStaff } from "../../wiring/staff";
import { retentionStore } from "../../wiring/retention";
import { missionStats } from "../../wiring/stats";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/staff/stats?days=30&missions=food-system,mobility: per mission and Stockholm day,
 * subscribers at the day's end, and who joined, left, and unsubscribed, emails sent to the mission's
 * followers, bounces and complaints, and the last retention sweep's counts per category. For the
 * console's charts and `mm stats`.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const q = event.queryStringParameters ?? {};
  const days = q.days === undefined ? 30 : /^\d{1,3}$/.test(q.days) ? Number(q.days) : Number.NaN;
  const missions = q.missions ? q.missions.split(",").map((m) => m.trim()).filter(Boolean).slice(0, 50) : undefined;
  const [charts, retention] = await Promise.all([
    missionCharts({ stats: missionStats(w), store: subscriberStore(w), clock: w.platform.clock }, { days, ...(missions ? { missions } : {}) }),
    retentionStore(w).lastReport(),
  ]);
  return json(200, { ...charts, retention: retention ?? null });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
