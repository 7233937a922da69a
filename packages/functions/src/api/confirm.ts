import { AppError } from "@mission-mail/core/shared/errors";
import { confirm } from "@mission-mail/core/subscription/confirm";
import { confirmedPage, linkFailedPage } from "@mission-mail/web/confirm-page";
import { pageLanguage } from "@mission-mail/web/layout";
import { html, httpRoute, json, jsonBody, rawBody, type HttpEvent } from "../lib/http";
import { selfService } from "../wiring/subscription";
import { lambdaWiring } from "../wiring/lambda";

const PAGE_MESSAGES: Record<string, { sv: string; en: string }> = {
  token_expired: {
    sv: "Länken har gått ut. Anmäl dig igen för att få en ny.",
    en: "This link has expired. Please sign up again to get a new one.",
  },
  invalid_token: {
    sv: "Länken är inte giltig. Kontrollera att du kopierade hela länken från mejlet.",
    en: "This link is not valid. Check that you copied the whole link from the email.",
  },
};

/**
 * POST /api/subscriptions/confirm: activates a pending subscription. Takes JSON `{"token"}` from
 * scripts, or the confirm page's plain form, which gets an HTML page back.
 */
export const route = httpRoute(async (event, w) => {
  const isForm = (event.headers?.["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  const token = isForm ? new URLSearchParams(rawBody(event)).get("token") : (jsonBody(event) as { token?: unknown } | null)?.token;
  const run = () => confirm(selfService(w), token);
  if (!isForm) return json(200, { status: (await run()).status });
  const language = pageLanguage(event.queryStringParameters?.lang);
  try {
    await run();
    return html(200, confirmedPage(language));
  } catch (err) {
    if (err instanceof AppError && PAGE_MESSAGES[err.code]) return html(err.status, linkFailedPage(language, PAGE_MESSAGES[err.code]!));
    throw err;
  }
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
