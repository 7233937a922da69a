import { AppError } from "@mission-mail/core/shared/errors";
import { confirm } from "@mission-mail/core/subscription/confirm";
import { confirmedPage, linkFailedPage, linkFailure } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, httpRoute, json, jsonBody, rawBody, type HttpEvent } from "../../lib/http";
import { logger } from "../../lib/logger";
import { confirming } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/subscriptions/confirm: activates a pending subscription and queues the welcome. Takes JSON `{"token"}` from
 * scripts, or the confirm page's plain form, which gets an HTML page back.
 */
export const route = httpRoute(async (event, w) => {
  const isForm = (event.headers?.["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  const token = isForm ? new URLSearchParams(rawBody(event)).get("token") : (jsonBody(event) as { token?: unknown } | null)?.token;
  const run = async () => {
    const result = await confirm(confirming(w), token);
    if (result.welcome === "not_queued") logger.warn("welcome not queued: the send queue refused it", { subscriberId: result.subscriberId });
    return result;
  };
  if (!isForm) {
    const result = await run();
    return json(200, { status: result.status, alreadyConfirmed: result.alreadyConfirmed });
  }
  const language = pageLanguage(event.queryStringParameters?.lang);
  try {
    return html(200, confirmedPage(language, (await run()).alreadyConfirmed));
  } catch (err) {
    const failure = err instanceof AppError ? linkFailure(err.code, "confirm") : undefined;
    if (failure) return html((err as AppError).status, linkFailedPage(language, failure));
    throw err;
  }
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
