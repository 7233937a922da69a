import { pageLanguage } from "@mission-mail/web/layout";
import { missionFeed } from "@mission-mail/web/mission-feed";
import { missionNotFoundPage } from "@mission-mail/web/missions-pages";
import { deps } from "../lib/deps";
import { html, httpHandler } from "../lib/http";
import { activeMissions, findMission, missionContent, visitor } from "../lib/public-page";

/**
 * GET /missions/{id}/feed.atom?lang=: the archive's items as an Atom feed, with labels in the chosen
 * language. Public and the same for everyone, so caches may keep it for a few minutes.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const mission = findMission(await activeMissions(d.store), event.pathParameters?.id);
  if (!mission) return html(404, missionNotFoundPage(visitor(event, "/missions")));
  const now = d.clock.now();
  const { upcoming, past } = await missionContent(d.content, mission.id, now);
  const body = missionFeed(mission, [...upcoming, ...past], pageLanguage(event.queryStringParameters?.lang), d.config.PUBLIC_URL, new Date(now));
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
