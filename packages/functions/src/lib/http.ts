import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { AppError, errorBody } from "@mission-mail/core/shared/errors";
import { redactTokens } from "@mission-mail/core/shared/tokens";
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
      "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      ...SECURITY_HEADERS,
      ...headers,
    },
    body,
  };
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

/** Parses a JSON request body, with a clear 400 for anything that is not a JSON object. */
export function jsonBody(event: HttpEvent): unknown {
  const text = rawBody(event);
  if (!text.trim()) throw new AppError(400, "invalid_json", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "invalid_json", `The request body is not valid JSON: ${(err as Error).message}`);
  }
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

/**
 * Wraps a handler so every refusal becomes the shared error envelope and every unexpected error a
 * logged 500 that leaks nothing.
 */
export function httpHandler(fn: (event: HttpEvent) => Promise<HttpResult>) {
  return async (event: HttpEvent): Promise<HttpResult> => {
    try {
      return await fn(event);
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
