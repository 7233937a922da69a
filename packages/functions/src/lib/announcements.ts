import { jsonBody, type HttpEvent } from "./http";

/** Announcement bodies are markdown in two languages (20,000 characters each, up to 4 bytes apiece): a larger limit than other requests' 16 KB. */
export const MAX_ANNOUNCEMENT_BODY_BYTES = 192 * 1024;

/** A JSON request body of up to 192 KB; an empty body is `{}` where `emptyIsObject` (send, which may have no options). */
export const announcementBody = (event: HttpEvent, options: { emptyIsObject?: boolean } = {}): unknown =>
  jsonBody(event, { maxBytes: MAX_ANNOUNCEMENT_BODY_BYTES, ...options });

/** The `{id}` path parameter. */
export const announcementId = (event: HttpEvent) => event.pathParameters?.id ?? "";
