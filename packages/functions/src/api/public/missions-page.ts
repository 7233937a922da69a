import { overviewPage } from "@mission-mail/web/missions-pages";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { activeMissions, signupState, upcomingAcross, visitor } from "../../lib/public-page";
import { contentStore } from "../../wiring/content";
import { subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** How many coming seminars the overview lists. */
const OVERVIEW_SEMINARS = 6;

/**
 * GET /missions: the Missions overview, with one card per active mission, the coming seminars and
 * the sign-up widget (or the cookie notice). It only reads.
 */
export const route = httpRoute(async (event, w) => {
  const page = visitor(event, "/missions");
  const missions = await activeMissions(subscriberStore(w));
  const seminars = await upcomingAcross(contentStore(w), missions.map((m) => m.id), w.platform.clock.now(), OVERVIEW_SEMINARS);
  return html(200, overviewPage(page, missions, seminars, signupState(page, missions)));
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
