import * as z from "zod";
import { CADENCES, LANGUAGES, TOPICS, type Cadence, type Language, type Topic } from "../shared/vocabulary";

const missionId = z.string().max(64, "Mission id is too long.").regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Mission id must be kebab-case.");

const CADENCE_ERROR = 'Cadence must be "immediate", "daily", "weekly" or "monthly".';

/** The choices a subscriber makes, shared by the sign-up and the preference centre. */
const choices = {
  language: z.enum(LANGUAGES, { error: 'Language must be "sv" or "en".' }),
  missions: z
    .array(missionId, { error: "Missions must be a list of mission ids." })
    .min(1, "Choose at least one mission.")
    .max(30, "Choose at most 30 missions."),
  topics: z
    .array(z.enum(TOPICS, { error: 'Topics are "seminar", "publication" and "news".' }), { error: "Topics must be a list." })
    .min(1, "Choose at least one topic.")
    .max(TOPICS.length, "Too many topics."),
  cadence: z.enum(CADENCES, { error: CADENCE_ERROR }),
  /**
   * Per-mission cadences that override `cadence` for the missions they name (each must be one of the
   * chosen missions). A mission not named here follows `cadence`.
   */
  cadenceByMission: z
    .record(z.string(), z.enum(CADENCES, { error: CADENCE_ERROR }), { error: "cadenceByMission must be an object of mission id → cadence." })
    .optional(),
};

/** The body of `POST /api/subscriptions`. The honeypot field `website` must be absent or empty. */
export const SubscribeRequest = z.object({
  email: z.string({ error: "Email address is required." }).max(320, "Email address is too long."),
  ...choices,
  consent: z.object(
    {
      newsletter: z.boolean({ error: "consent.newsletter must be true or false." }).optional(),
      policyVersion: z.string({ error: "The consent policy version is required." }).min(1).max(64),
      cookies: z
        .object({
          functional: z.boolean({ error: "Must be true or false." }),
          statistics: z.boolean({ error: "Must be true or false." }),
        })
        .strict()
        .optional(),
    },
    { error: "Consent is required." },
  ),
  /** Honeypot: invisible to people, filled in by bots. */
  website: z.string().max(2000).optional(),
});

export type SubscribeInput = z.infer<typeof SubscribeRequest>;

/** The body of `PUT /api/preferences`: every choice, including open and click tracking. */
export const PreferencesUpdate = z
  .object({
    ...choices,
    tracking: z.boolean({ error: "tracking must be true or false." }),
  })
  .strict();

/** A subscriber's choices, as stored and as recorded in the ledger. */
export interface Preferences {
  language: Language;
  missions: string[];
  topics: Topic[];
  /** The cadence of every chosen mission that `cadenceByMission` does not name. */
  cadence: Cadence;
  /**
   * Per-mission overrides of `cadence`, only for chosen missions whose cadence differs from it. Absent
   * (as on every subscriber stored before per-mission cadences) means every mission follows `cadence`.
   */
  cadenceByMission?: Record<string, Cadence>;
  /** Open and click tracking; off unless the subscriber turns it on. */
  tracking: boolean;
}
