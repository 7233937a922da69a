import { pageLanguage } from "@mission-mail/web/layout";
import { missionFeed } from "@mission-mail/web/mission-feed";
import { missionNotFoundPage } from "@mission-mail/web/missions-pages";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { activeMissions, findMission, missionContent, visitor } from "../../lib/public-page";
import { contentStore } from "../../wiring/content";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /missions/{id}/feed.atom?lang=: the archive's items as an Atom feed, with labels in the chosen
 * language. Public and the same for everyone, so caches may keep it for a few minutes.
 */
export const route = httpRoute(async (event, w) => {
  const mission = findMission(await activeMissions(subscriberStore(w)), event.pathParameters?.id);
  if (!mission) return html(404, missionNotFoundPage(visitor(event, "/missions")));
  const now = w.platform.clock.now();
  const { upcoming, past } = await missionContent(contentStore(w), mission.id, now);
  const body = missionFeed(mission, [...upcoming, ...past], pageLanguage(event.queryStringParameters?.lang), w.config.PUBLIC_URL, new Date(now));
  return {
    statusCode: 200,
    headers: {
      "content-type": "application/atom+xml; charset=utf-8",
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
    body,
  };
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
