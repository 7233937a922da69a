/**
 * The HTTP routes, in one table that both the AWS API stack and the local HTTP server read, so the
 * two cannot drift. `handler` is the file under packages/functions/src and its exported `handler`;
 * `table` is the least access the function needs; `queue` whether it enqueues mail.
 */
export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  handler: string;
  table: "none" | "read" | "write";
  /** Enqueues transactional mail on the send queue. */
  queue?: boolean;
  /** Enqueues planning jobs (digest runs) on the plan queue. */
  planQueue?: boolean;
  /** Puts events on the app's event bus. */
  bus?: boolean;
  /** Needs the webhook secret. */
  webhookSecret?: boolean;
  /**
   * The staff console's page: public HTML (no authorizer) that gets the console's public sign-in
   * settings (the app client id and the Hosted UI's domain) to start a sign-in in the browser.
   */
  staffConsole?: boolean;
  /** Sends email itself (announcement test sends, to at most ten staff addresses): SES SendEmail on the identity. */
  mail?: boolean;
  /** Creates or deletes one-off EventBridge Scheduler schedules (scheduled announcements). */
  scheduler?: boolean;
}

export const ROUTES: RouteSpec[] = [
  { method: "GET", path: "/api/missions", handler: "api/missions", table: "read" },
  { method: "GET", path: "/api/consent", handler: "api/consent", table: "none" },
  { method: "GET", path: "/api/openapi.json", handler: "api/openapi", table: "none" },
  { method: "GET", path: "/missions", handler: "api/missions-page", table: "read" },
  { method: "GET", path: "/missions/{id}", handler: "api/mission-page", table: "read" },
  { method: "GET", path: "/missions/{id}/archive", handler: "api/mission-archive", table: "read" },
  { method: "GET", path: "/missions/{id}/feed.atom", handler: "api/mission-feed", table: "read" },
  { method: "POST", path: "/subscribe", handler: "api/subscribe-form", table: "write", queue: true },
  { method: "GET", path: "/cookies", handler: "api/cookie-settings", table: "none" },
  { method: "POST", path: "/cookies", handler: "api/cookie-choice", table: "none" },
  { method: "GET", path: "/assets/{file}", handler: "api/asset", table: "none" },
  { method: "GET", path: "/staff", handler: "api/staff-console", table: "none", staffConsole: true },
  { method: "GET", path: "/staff/callback", handler: "api/staff-console", table: "none", staffConsole: true },
  { method: "POST", path: "/api/subscriptions", handler: "api/subscribe", table: "write", queue: true },
  { method: "POST", path: "/api/subscriptions/confirm", handler: "api/confirm", table: "write" },
  { method: "GET", path: "/confirm", handler: "api/confirm-page", table: "none" },
  { method: "GET", path: "/unsubscribe", handler: "api/unsubscribe-page", table: "read" },
  { method: "POST", path: "/unsubscribe", handler: "api/unsubscribe", table: "write" },
  { method: "GET", path: "/preferences", handler: "api/preferences-page", table: "read" },
  { method: "POST", path: "/preferences", handler: "api/preferences-form", table: "write" },
  { method: "GET", path: "/api/preferences", handler: "api/get-preferences", table: "read" },
  { method: "PUT", path: "/api/preferences", handler: "api/put-preferences", table: "write" },
  { method: "POST", path: "/api/me/requests", handler: "api/data-rights-request", table: "write", queue: true },
  { method: "GET", path: "/me", handler: "api/data-rights-page", table: "none" },
  { method: "GET", path: "/api/me/export", handler: "api/export-data", table: "read" },
  { method: "POST", path: "/api/me/erase", handler: "api/erase-data", table: "write" },
  { method: "POST", path: "/webhooks/content", handler: "api/content-webhook", table: "none", bus: true, webhookSecret: true },
  { method: "POST", path: "/api/staff/digests/run", handler: "api/run-digest", table: "write", planQueue: true },
  { method: "GET", path: "/api/staff/runs", handler: "api/list-runs", table: "read" },
  { method: "GET", path: "/api/staff/runs/{id}", handler: "api/get-run", table: "read" },
  { method: "GET", path: "/api/staff/stats", handler: "api/get-stats", table: "read" },
  { method: "GET", path: "/api/staff/audit", handler: "api/list-audit", table: "read" },
  { method: "GET", path: "/api/staff/announcements", handler: "api/list-announcements", table: "read" },
  { method: "POST", path: "/api/staff/announcements", handler: "api/create-announcement", table: "write" },
  { method: "POST", path: "/api/staff/announcements/preview", handler: "api/preview-draft-announcement", table: "read" },
  { method: "GET", path: "/api/staff/announcements/{id}", handler: "api/get-announcement", table: "read" },
  { method: "PUT", path: "/api/staff/announcements/{id}", handler: "api/edit-announcement", table: "write" },
  { method: "GET", path: "/api/staff/announcements/{id}/preview", handler: "api/preview-announcement", table: "read" },
  { method: "POST", path: "/api/staff/announcements/{id}/test", handler: "api/test-announcement", table: "write", mail: true },
  { method: "POST", path: "/api/staff/announcements/{id}/send", handler: "api/send-announcement", table: "write", planQueue: true, scheduler: true },
  { method: "POST", path: "/api/staff/announcements/{id}/pause", handler: "api/pause-announcement", table: "write" },
  { method: "POST", path: "/api/staff/announcements/{id}/resume", handler: "api/resume-announcement", table: "write", queue: true },
  { method: "POST", path: "/api/staff/announcements/{id}/cancel", handler: "api/cancel-announcement", table: "write", queue: true, scheduler: true },
  { method: "GET", path: "/api/staff/missions", handler: "api/list-missions", table: "read" },
  { method: "POST", path: "/api/staff/missions", handler: "api/add-mission", table: "write" },
  { method: "GET", path: "/api/staff/missions/{id}", handler: "api/get-mission", table: "read" },
  { method: "PUT", path: "/api/staff/missions/{id}", handler: "api/edit-mission", table: "write" },
  { method: "POST", path: "/api/staff/missions/{id}/retire", handler: "api/retire-mission", table: "write", planQueue: true },
  { method: "POST", path: "/api/staff/subscribers/import", handler: "api/import-subscribers", table: "write", queue: true },
  // Write: every page of an export is recorded in the audit log.
  { method: "GET", path: "/api/staff/subscribers/export", handler: "api/export-subscribers", table: "write" },
];

/**
 * Staff routes: everything under `/api/staff/`. In AWS each gets the HTTP API's JWT authorizer and the
 * staff sign-in configuration; the handler still checks the token and the staff group itself.
 */
export const isStaffRoute = (route: Pick<RouteSpec, "path">): boolean => route.path.startsWith("/api/staff/");

/** Matches a request path against a route path with `{param}` segments; answers the parameters or undefined. */
export function matchPath(routePath: string, path: string): Record<string, string> | undefined {
  const want = routePath.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith("{") && w.endsWith("}")) {
      if (!g) return undefined;
      params[w.slice(1, -1)] = decodeURIComponent(g);
    } else if (w !== g) return undefined;
  }
  return params;
}

/** The Lambda handler path SST wants for a route's handler file. */
export const handlerPath = (handler: string) => `packages/functions/src/${handler}.handler`;
