import { readPreferences } from "@mission-mail/core/subscription/preferences";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** GET /api/preferences?token=…: the subscriber's choices as JSON (the address masked). */
export const route = httpRoute(async (event, w) => json(200, await readPreferences(selfService(w), tokenParam(event))));

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
