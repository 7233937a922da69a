import { AppError } from "@mission-mail/core/shared/errors";
import { readPreferences, updatePreferences } from "@mission-mail/core/subscription/preferences";
import { pageLanguage } from "@mission-mail/web/layout";
import { preferencesPage } from "@mission-mail/web/preferences-page";
import { cadenceByMissionOf } from "../../lib/form";
import { formBody, html, type HttpEvent } from "../../lib/http";
import { linkPageRoute, tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /preferences?token=…: the preference centre's form, without JavaScript. Saves through the same
 * use case as `PUT /api/preferences`, then redirects to the page (303, so a reload does not post
 * again). A refused form is shown again with what was entered and what is wrong.
 */
export const route = linkPageRoute(async (event, w) => {
  const token = tokenParam(event);
  const form = formBody(event);
  const cadenceByMission = cadenceByMissionOf(form, form.getAll("missions"));
  const body = {
    missions: form.getAll("missions"),
    topics: form.getAll("topics"),
    cadence: form.get("cadence") ?? undefined,
    ...(cadenceByMission ? { cadenceByMission } : {}),
    language: form.get("language") ?? undefined,
    tracking: form.get("tracking") === "on",
  };
  const d = selfService(w);
  try {
    const view = await updatePreferences(d, token, body, "web");
    return { statusCode: 303, headers: { location: `/preferences?token=${encodeURIComponent(token)}&lang=${view.language}&saved=1`, "cache-control": "no-store" } };
  } catch (err) {
    if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409 && err.status !== 422)) throw err;
    const view = await readPreferences(d, token);
    const language = pageLanguage(event.queryStringParameters?.lang ?? view.language);
    const problems = err.fields ?? [{ field: "missions", message: err.message }];
    return html(err.status, preferencesPage(language, { token, view, values: body as never, problems }));
  }
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
