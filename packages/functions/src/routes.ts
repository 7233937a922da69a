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
}

export const ROUTES: RouteSpec[] = [
  { method: "GET", path: "/api/missions", handler: "api/missions", table: "read" },
  { method: "GET", path: "/api/consent", handler: "api/consent", table: "none" },
  { method: "POST", path: "/api/subscriptions", handler: "api/subscribe", table: "write", queue: true },
  { method: "POST", path: "/api/subscriptions/confirm", handler: "api/confirm", table: "write" },
  { method: "GET", path: "/confirm", handler: "api/confirm-page", table: "none" },
  { method: "GET", path: "/unsubscribe", handler: "api/unsubscribe-page", table: "read" },
  { method: "POST", path: "/unsubscribe", handler: "api/unsubscribe", table: "write" },
  { method: "POST", path: "/webhooks/content", handler: "api/content-webhook", table: "none", bus: true, webhookSecret: true },
  { method: "POST", path: "/api/staff/digests/run", handler: "api/run-digest", table: "write", planQueue: true },
  { method: "GET", path: "/api/staff/runs/{id}", handler: "api/get-run", table: "read" },
];

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
