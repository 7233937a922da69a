import { missionNotFoundPage, missionPage } from "@mission-mail/web/missions-pages";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { activeMissions, findMission, missionContent, signupState, visitor } from "../../lib/public-page";
import { contentStore } from "../../wiring/content";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** How many coming seminars and recent articles a mission page shows; the archive has the rest. */
const PAGE_ITEMS = 5;

/**
 * GET /missions/{id}: one mission's page, with its coming seminars, latest articles and the sign-up
 * widget with this mission chosen. An unknown or retired mission is a 404 page. It only reads.
 */
export const route = httpRoute(async (event, w) => {
  const missions = await activeMissions(subscriberStore(w));
  const mission = findMission(missions, event.pathParameters?.id);
  if (!mission) return html(404, missionNotFoundPage(visitor(event, "/missions")));
  const page = visitor(event, `/missions/${mission.id}`);
  const { upcoming, past } = await missionContent(contentStore(w), mission.id, w.platform.clock.now());
  const latest = past.filter((i) => i.kind !== "seminar").sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  return html(200, missionPage(page, mission, upcoming.slice(0, PAGE_ITEMS), latest.slice(0, PAGE_ITEMS), signupState(page, missions, mission.id)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
