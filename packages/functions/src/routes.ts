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
  queue?: boolean;
}

export const ROUTES: RouteSpec[] = [
  { method: "GET", path: "/api/missions", handler: "api/missions", table: "read" },
  { method: "GET", path: "/api/consent", handler: "api/consent", table: "none" },
  { method: "POST", path: "/api/subscriptions", handler: "api/subscribe", table: "write", queue: true },
  { method: "POST", path: "/api/subscriptions/confirm", handler: "api/confirm", table: "write" },
  { method: "GET", path: "/confirm", handler: "api/confirm-page", table: "none" },
];

/** The Lambda handler path SST wants for a route's handler file. */
export const handlerPath = (handler: string) => `packages/functions/src/${handler}.handler`;
