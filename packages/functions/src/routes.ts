/**
 * Who calls a route, which decides the Lambda function that serves it. Each audience is one function,
 * so a visitor or a staff member walking through the site meets one cold start, not one per route,
 * and each function is granted only what its audience's routes need:
 * - `public`: anonymous visitors' pages (the accessibility statement and privacy notice included),
 *   feeds, the consent text, the OpenAPI document, the cookie choice, and the static style sheets and scripts of every page (the staff console's included). It
 *   reads the table and writes nothing: the sign-up form's post writes the subscriber and the consent
 *   ledger and enqueues the confirmation, so it belongs to `subscriber`.
 * - `subscriber`: self-service by people with an address or a signed link: sign-up (API and form),
 *   confirm, unsubscribe, preferences and data rights. Writes the table; enqueues transactional mail.
 * - `webhook`: the CMS's signed content events: the webhook secret and the app's bus, nothing else.
 * - `staff`: the staff console's page and sign-in callback, and the staff API.
 */
import type { StaffRole } from "@mission-mail/core/staff/identity";

export const AUDIENCES = ["public", "subscriber", "webhook", "staff"] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * The HTTP routes, in one table that both the AWS API stack and the local HTTP server read, so the
 * two cannot drift. `audience` is the function that serves the route (one per audience, see
 * AUDIENCES); `handler` is the route's module under packages/functions/src, whose exported `handler`
 * that function calls for the route; `table` is the least access the route needs; `queue` whether
 * it enqueues mail. An audience's function gets the union of its routes' needs.
 */
/** The secrets the HTTP routes may read besides the webhook's: token keys, the address pepper, the IP salt. */
export type AppSecret = "TOKEN_KEYS" | "ADDRESS_PEPPER" | "IP_SALT";

export interface RouteSpec {
  audience: Audience;
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
  /** The app secrets the route's code reads; its function is bound to these and no others. */
  secrets?: readonly AppSecret[];
  /**
   * The staff console's page: public HTML (no authorizer) that gets the console's public sign-in
   * settings (the app client id and the Hosted UI's domain) to start a sign-in in the browser.
   */
  staffConsole?: boolean;
  /** Sends email itself (announcement test sends, to at most ten staff addresses): SES SendEmail on the identity. */
  mail?: boolean;
  /** Creates or deletes one-off EventBridge Scheduler schedules (scheduled announcements). */
  scheduler?: boolean;
  /** Reads how many messages wait in the dead-letter queues (the health view): their URLs and sqs:GetQueueAttributes on exactly them. */
  deadLetters?: boolean;
  /**
   * The staff API's routes only: the role the caller needs. `staff` drafts, previews, test-sends and
   * reads; `publisher` also approves, sends, schedules, pauses, resumes, cancels (announcements and
   * digest runs) and retires missions.
   */
  role?: StaffRole;
}

const ROUTE_TABLE = [
  // Public: pages, feeds, consent text, the API description, cookie choices, and every page's style
  // sheets and scripts (the staff console's too: they are static files). Reads the table, never writes it.
  { audience: "public", method: "GET", path: "/api/missions", handler: "api/public/missions", table: "read" },
  { audience: "public", method: "GET", path: "/api/consent", handler: "api/public/consent", table: "none" },
  { audience: "public", method: "GET", path: "/api/openapi.json", handler: "api/public/openapi", table: "none" },
  { audience: "public", method: "GET", path: "/missions", handler: "api/public/missions-page", table: "read" },
  { audience: "public", method: "GET", path: "/missions/{id}", handler: "api/public/mission-page", table: "read" },
  { audience: "public", method: "GET", path: "/missions/{id}/archive", handler: "api/public/mission-archive", table: "read" },
  { audience: "public", method: "GET", path: "/missions/{id}/feed.atom", handler: "api/public/mission-feed", table: "read" },
  { audience: "public", method: "GET", path: "/cookies", handler: "api/public/cookie-settings", table: "none" },
  { audience: "public", method: "POST", path: "/cookies", handler: "api/public/cookie-choice", table: "none" },
  { audience: "public", method: "GET", path: "/tillganglighet", handler: "api/public/statement-page", table: "none" },
  { audience: "public", method: "GET", path: "/en/accessibility", handler: "api/public/statement-page", table: "none" },
  { audience: "public", method: "GET", path: "/personuppgifter", handler: "api/public/statement-page", table: "none" },
  { audience: "public", method: "GET", path: "/en/privacy", handler: "api/public/statement-page", table: "none" },
  { audience: "public", method: "GET", path: "/assets/{file}", handler: "api/public/asset", table: "none" },
  // Subscriber self-service: sign-up (API and form), confirm, unsubscribe, preferences and data rights.
  { audience: "subscriber", method: "POST", path: "/subscribe", handler: "api/subscriber/subscribe-form", table: "write", queue: true, secrets: ["ADDRESS_PEPPER", "IP_SALT"] },
  { audience: "subscriber", method: "POST", path: "/api/subscriptions", handler: "api/subscriber/subscribe", table: "write", queue: true, secrets: ["ADDRESS_PEPPER", "IP_SALT"] },
  { audience: "subscriber", method: "POST", path: "/api/subscriptions/confirm", handler: "api/subscriber/confirm", table: "write", queue: true, secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "GET", path: "/confirm", handler: "api/subscriber/confirm-page", table: "none", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "GET", path: "/unsubscribe", handler: "api/subscriber/unsubscribe-page", table: "read", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "POST", path: "/unsubscribe", handler: "api/subscriber/unsubscribe", table: "write", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "POST", path: "/unsubscribe/reason", handler: "api/subscriber/unsubscribe-reason", table: "write", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "GET", path: "/preferences", handler: "api/subscriber/preferences-page", table: "read", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "POST", path: "/preferences", handler: "api/subscriber/preferences-form", table: "write", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "GET", path: "/api/preferences", handler: "api/subscriber/get-preferences", table: "read", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "PUT", path: "/api/preferences", handler: "api/subscriber/put-preferences", table: "write", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "POST", path: "/api/me/requests", handler: "api/subscriber/data-rights-request", table: "write", queue: true, secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "GET", path: "/me", handler: "api/subscriber/data-rights-page", table: "none", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "GET", path: "/api/me/export", handler: "api/subscriber/export-data", table: "write", secrets: ["TOKEN_KEYS"] },
  { audience: "subscriber", method: "POST", path: "/api/me/erase", handler: "api/subscriber/erase-data", table: "write", secrets: ["TOKEN_KEYS"] },
  // The CMS: signed content events, put on the bus.
  { audience: "webhook", method: "POST", path: "/webhooks/content", handler: "api/webhook/content-webhook", table: "none", bus: true, webhookSecret: true },
  // Staff: the console's page and sign-in callback, and the staff API behind the JWT authorizer.
  { audience: "staff", method: "GET", path: "/staff", handler: "api/staff/staff-console", table: "none", staffConsole: true },
  { audience: "staff", method: "GET", path: "/staff/callback", handler: "api/staff/staff-console", table: "none", staffConsole: true },
  { audience: "staff", method: "POST", path: "/api/staff/digests/run", handler: "api/staff/run-digest", table: "write", planQueue: true, role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/runs", handler: "api/staff/list-runs", table: "read", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/runs/{id}", handler: "api/staff/get-run", table: "read", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/runs/{id}/resume", handler: "api/staff/resume-run", table: "write", queue: true, role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/runs/{id}/cancel", handler: "api/staff/cancel-run", table: "write", queue: true, role: "publisher" },
  { audience: "staff", method: "GET", path: "/api/staff/stats", handler: "api/staff/get-stats", table: "read", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/health", handler: "api/staff/get-health", table: "read", deadLetters: true, role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/unsubscribe-reasons", handler: "api/staff/list-unsubscribe-reasons", table: "read", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/audit", handler: "api/staff/list-audit", table: "read", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/announcements", handler: "api/staff/list-announcements", table: "read", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements", handler: "api/staff/create-announcement", table: "write", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/preview", handler: "api/staff/preview-draft-announcement", table: "read", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/announcements/{id}", handler: "api/staff/get-announcement", table: "read", role: "staff" },
  { audience: "staff", method: "PUT", path: "/api/staff/announcements/{id}", handler: "api/staff/edit-announcement", table: "write", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/announcements/{id}/preview", handler: "api/staff/preview-announcement", table: "read", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/test", handler: "api/staff/test-announcement", table: "write", mail: true, role: "staff", secrets: ["ADDRESS_PEPPER"] },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/checks", handler: "api/staff/check-announcement", table: "read", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/approve", handler: "api/staff/approve-announcement", table: "write", role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/refuse", handler: "api/staff/refuse-announcement", table: "write", role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/send", handler: "api/staff/send-announcement", table: "write", planQueue: true, scheduler: true, role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/pause", handler: "api/staff/pause-announcement", table: "write", role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/resume", handler: "api/staff/resume-announcement", table: "write", queue: true, role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/announcements/{id}/cancel", handler: "api/staff/cancel-announcement", table: "write", queue: true, scheduler: true, role: "publisher" },
  { audience: "staff", method: "GET", path: "/api/staff/missions", handler: "api/staff/list-missions", table: "read", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/missions", handler: "api/staff/add-mission", table: "write", role: "staff" },
  { audience: "staff", method: "GET", path: "/api/staff/missions/{id}", handler: "api/staff/get-mission", table: "read", role: "staff" },
  { audience: "staff", method: "PUT", path: "/api/staff/missions/{id}", handler: "api/staff/edit-mission", table: "write", role: "staff" },
  { audience: "staff", method: "POST", path: "/api/staff/missions/{id}/retire", handler: "api/staff/retire-mission", table: "write", planQueue: true, role: "publisher" },
  { audience: "staff", method: "POST", path: "/api/staff/subscribers/import", handler: "api/staff/import-subscribers", table: "write", queue: true, role: "staff", secrets: ["ADDRESS_PEPPER"] },
  // Write: every page of an export is recorded in the audit log.
  { audience: "staff", method: "GET", path: "/api/staff/subscribers/export", handler: "api/staff/export-subscribers", table: "write", role: "staff" },
  // A bulk change of every subscriber's stored shape: publishers only.
  { audience: "staff", method: "POST", path: "/api/staff/migrations/cadence-by-mission", handler: "api/staff/migrate-cadences", table: "write", role: "publisher" },
] as const satisfies readonly RouteSpec[];

export const ROUTES: readonly RouteSpec[] = ROUTE_TABLE;

/** The handler modules of an audience's routes, as the route table names them (e.g. "api/public/missions"). */
export type AudienceHandler<A extends Audience> = Extract<(typeof ROUTE_TABLE)[number], { audience: A }>["handler"];

/** API Gateway's route key for a route, as the function receives it in `event.routeKey`: "GET /missions/{id}". */
export const routeKey = (route: Pick<RouteSpec, "method" | "path">): string => `${route.method} ${route.path}`;

/** The entry file, under packages/functions/src, of an audience's function. */
export const audienceEntry = (audience: Audience): string => `http/${audience}`;

/**
 * The staff API's routes: everything under `/api/staff/`. In AWS each has the HTTP API's JWT
 * authorizer; the handler still checks the token and the staff group itself. The rest of the staff
 * audience (the console's page and sign-in callback) loads before anyone signs in, so it has none.
 */
export const isStaffRoute = (route: Pick<RouteSpec, "path">): boolean => route.path.startsWith("/api/staff/");

/** The role a staff API route needs, by its route key ("POST /api/staff/announcements/{id}/send"); undefined for other routes. */
export function staffRoleOf(key: string): StaffRole | undefined {
  return ROUTES.find((r) => routeKey(r) === key && isStaffRoute(r))?.role;
}

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

/** The Lambda handler path SST wants for a handler file under packages/functions/src. */
export const handlerPath = (handler: string) => `packages/functions/src/${handler}.handler`;
