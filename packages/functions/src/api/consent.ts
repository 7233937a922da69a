import { currentPolicy } from "@mission-mail/core/consent/policies";
import { httpHandler, json } from "../lib/http";

/** GET /api/consent: the current consent policy version and its texts in sv and en. */
export const handler = httpHandler(async () => json(200, currentPolicy(), { "cache-control": "public, max-age=300" }));
