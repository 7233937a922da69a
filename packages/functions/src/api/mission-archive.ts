import { archivePage } from "@mission-mail/web/archive-page";
import { missionNotFoundPage } from "@mission-mail/web/missions-pages";
import { deps } from "../lib/deps";
import { html, httpHandler } from "../lib/http";
import { activeMissions, findMission, missionContent, visitor } from "../lib/public-page";

/**
 * GET /missions/{id}/archive: the mission's public editions, coming seminars first, then the last
 * 24 months grouped by month, newest first. Only published content; it only reads.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const mission = findMission(await activeMissions(d.store), event.pathParameters?.id);
  if (!mission) return html(404, missionNotFoundPage(visitor(event, "/missions")));
  const page = visitor(event, `/missions/${mission.id}/archive`);
  const { upcoming, past } = await missionContent(d.content, mission.id, d.clock.now());
  return html(200, archivePage(page, mission, upcoming, past));
});
