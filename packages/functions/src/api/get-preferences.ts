import { readPreferences } from "@mission-mail/core/subscription/preferences";
import { deps, selfService } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { tokenParam } from "../lib/pages";

/** GET /api/preferences?token=…: the subscriber's choices as JSON (the address masked). */
export const handler = httpHandler(async (event) => json(200, await readPreferences(selfService(await deps()), tokenParam(event))));
