import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ZodError } from "zod";
import { AppError, errorBody, problemsText, zodProblems } from "@mission-mail/core/shared/errors";
import { redactTokens } from "@mission-mail/core/shared/tokens";
import { withSite } from "@mission-mail/web/site";
import type { Wiring } from "../wiring/wiring";
import { logger } from "./logger";

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: status,
    headers: { "content-type": "application/json; charset=utf-8", ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      // No <base> may re-point relative links, and forms post only to the site itself.
      "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      ...SECURITY_HEADERS,
      ...headers,
    },
    body,
  };
}

/** Whether the visitor reached us over https (always, through API Gateway; not on the local server). */
export function isHttps(event: HttpEvent): boolean {
  return (event.headers?.["x-forwarded-proto"] ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}

/** HSTS for a year, subdomains included: once a browser has reached the site over https, it never tries http. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * Adds `Strict-Transport-Security` to an answer given over https (every answer in AWS, where API
 * Gateway serves https only). Over plain http (the local server) it is left out: browsers ignore it
 * there, and it would pin localhost to https.
 */
export function withTransportSecurity(event: HttpEvent, result: HttpResult): HttpResult {
  if (!isHttps(event)) return result;
  return { ...result, headers: { ...result.headers, "strict-transport-security": STRICT_TRANSPORT_SECURITY } };
}

/** The raw request body as text, refusing oversize bodies and invalid UTF-8. */
export function rawBody(event: HttpEvent, maxBytes = MAX_BODY_BYTES): string {
  const body = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.length > maxBytes) {
    throw new AppError(413, "body_too_large", `The request body is larger than ${maxBytes} bytes.`);
  }
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  try {
    return text.decode(bytes);
  } catch {
    throw new AppError(400, "invalid_encoding", "The request body is not valid UTF-8.");
  }
}

/**
 * JSON text as a value, with a clear 400 `invalid_json` for an empty or malformed body; an empty
 * body is `{}` where `emptyIsObject` (requests whose options may all be left out).
 */
export function parseJsonText(text: string, options: { emptyIsObject?: boolean } = {}): unknown {
  if (!text.trim()) {
    if (options.emptyIsObject) return {};
    throw new AppError(400, "invalid_json", "The request body is empty; send a JSON object.");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Whether a media type is JSON: `application/json` or a `+json` type, with any parameters. */
const isJsonType = (contentType: string) => /^application\/([a-z0-9.+-]+\+)?json$/.test(contentType.split(";")[0]!.trim().toLowerCase());

/**
 * The one parser of JSON request bodies: at most `maxBytes` (16 KB unless a route allows more) of
 * UTF-8 JSON, else 413 `body_too_large`, 400 `invalid_encoding` or 400 `invalid_json`. A body declared
 * as anything but JSON (`text/plain`, a form) is 415 `unsupported_media_type`: a page on another site
 * can post those without asking, JSON it cannot. A request that declares no type is read as JSON.
 */
export function jsonBody(event: HttpEvent, options: { maxBytes?: number; emptyIsObject?: boolean } = {}): unknown {
  const contentType = event.headers?.["content-type"];
  if (contentType !== undefined && contentType.trim() !== "" && !isJsonType(contentType)) {
    throw new AppError(415, "unsupported_media_type", "This route takes a JSON body: send it with Content-Type: application/json.");
  }
  return parseJsonText(rawBody(event, options.maxBytes), options);
}

/** A zod refusal of a request as 400 `code` (`validation_failed` unless a route says otherwise), with the envelope's `fields`. */
export function invalidRequest(error: ZodError, code = "validation_failed", status = 400): AppError {
  const fields = zodProblems(error);
  return new AppError(status, code, problemsText(fields), fields);
}

/** A page of a listing: how many, and where the previous page ended. */
export interface PageParams {
  limit: number;
  cursor?: string;
}

/**
 * The paging query of a listing: `limit` (a whole number from 1 to `max`; `fallback` when absent)
 * and the cursor parameter (`before` unless named otherwise), checked by `validCursor`. Refusals are
 * 400 `validation_failed` with `fields`, the same on every listing.
 */
export function pageParams(
  event: HttpEvent,
  options: { fallback: number; max: number; cursorParam?: string; validCursor?: (cursor: string) => boolean },
): PageParams {
  const query = event.queryStringParameters ?? {};
  const raw = query.limit;
  const limit = raw === undefined ? options.fallback : /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > options.max) {
    throw new AppError(400, "validation_failed", `limit must be a whole number from 1 to ${options.max}.`, [{ field: "limit", message: `a whole number from 1 to ${options.max}` }]);
  }
  const name = options.cursorParam ?? "before";
  const cursor = query[name];
  if (cursor !== undefined && options.validCursor && !options.validCursor(cursor)) {
    throw new AppError(400, "validation_failed", `${name} is not a cursor this API gave out; use the next of a previous page.`, [{ field: name, message: "not a cursor from this API" }]);
  }
  return { limit, ...(cursor !== undefined ? { cursor } : {}) };
}

/** Whether the request is an HTML form post (`application/x-www-form-urlencoded`) rather than an API call. */
export function isFormPost(event: HttpEvent): boolean {
  return (event.headers?.["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/**
 * An HTML form post's fields (`application/x-www-form-urlencoded`, which API Gateway may deliver
 * base64), refusing oversize or non-UTF-8 bodies with an AppError like every other body.
 */
export function formBody(event: HttpEvent, maxBytes?: number): URLSearchParams {
  return new URLSearchParams(rawBody(event, maxBytes));
}

/** The caller's IP as API Gateway saw it (or, only where configured for load tests, X-Forwarded-For). */
export function clientIp(event: HttpEvent, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = event.headers?.["x-forwarded-for"]?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return event.requestContext?.http?.sourceIp;
}

/** An HTTP route's logic: the request and the wiring it runs on. */
export type HttpRoute = (event: HttpEvent, wiring: Wiring | Promise<Wiring>) => Promise<HttpResult>;

/**
 * Makes an HTTP route: every refusal becomes the shared error envelope and every unexpected error
 * (a wiring that could not be made included) a logged 500 that leaks nothing. Pages it renders name
 * the wiring's site identity (`platform.site`). Lambda calls it with `lambdaWiring()` (or, for a page
 * without AWS access, `staticWiring()`), the local cloud with its own.
 */
export function httpRoute(fn: (event: HttpEvent, w: Wiring) => Promise<HttpResult>): HttpRoute {
  return async (event, wiring) => {
    try {
      const w = await wiring;
      // Pages name the agency of this deploy; it is read only if the route renders one.
      return await withSite(() => w.platform.site, () => fn(event, w));
    } catch (err) {
      if (err instanceof AppError) return json(err.status, errorBody(err), err.headers);
      logger.error("Unhandled error", {
        route: event.routeKey,
        path: redactTokens(`${event.rawPath}?${event.rawQueryString ?? ""}`),
        error: err as Error,
      });
      return json(500, { error: { code: "internal_error", message: "Something went wrong on our side. Please try again later." } });
    }
  };
}
