import { overviewPage } from "@mission-mail/web/missions-pages";
import { deps } from "../lib/deps";
import { html, httpHandler } from "../lib/http";
import { activeMissions, signupState, upcomingAcross, visitor } from "../lib/public-page";

/** How many coming seminars the overview lists. */
const OVERVIEW_SEMINARS = 6;

/**
 * GET /missions: the Missions overview, with one card per active mission, the coming seminars and
 * the sign-up widget (or the cookie notice). It only reads.
 */
export const handler = httpHandler(async (event) => {
  const page = visitor(event, "/missions");
  const d = await deps();
  const missions = await activeMissions(d.store);
  const seminars = await upcomingAcross(d.content, missions.map((m) => m.id), d.clock.now(), OVERVIEW_SEMINARS);
  return html(200, overviewPage(page, missions, seminars, signupState(page, missions)));
});
