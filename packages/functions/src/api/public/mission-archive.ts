import { archivePage } from "@mission-mail/web/archive-page";
import { missionNotFoundPage } from "@mission-mail/web/missions-pages";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { activeMissions, findMission, missionContent, visitor } from "../../lib/public-page";
import { contentStore } from "../../wiring/content";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /missions/{id}/archive: the mission's public editions, coming seminars first, then the last
 * 24 months grouped by month, newest first. Only published content; it only reads.
 */
export const route = httpRoute(async (event, w) => {
  const mission = findMission(await activeMissions(subscriberStore(w)), event.pathParameters?.id);
  if (!mission) return html(404, missionNotFoundPage(visitor(event, "/missions")));
  const page = visitor(event, `/missions/${mission.id}/archive`);
  const { upcoming, past } = await missionContent(contentStore(w), mission.id, w.platform.clock.now());
  return html(200, archivePage(page, mission, upcoming, past));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
