import { DynamoDepartureAnswers } from "@mission-mail/core/departures/dynamo-departure-answers";
import type { DepartureDeps } from "@mission-mail/core/departures/departure-reasons";
import { missionStats } from "./stats";
import { subscriberStore } from "./subscription";
import { perWiring } from "./wiring";

/** The answers to "why did you leave?", stored without addresses. */
export const departureAnswers = perWiring((w) => new DynamoDepartureAnswers(w.platform.db, w.config.TABLE_NAME));

/** What recording an answer needs: the subscriber (to check the token and read their missions), the answers, the statistics. */
export const departing = perWiring(
  (w): DepartureDeps => ({ store: subscriberStore(w), answers: departureAnswers(w), clock: w.platform.clock, tokenKeys: w.config.TOKEN_KEYS, stats: missionStats(w) }),
);
