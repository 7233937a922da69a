import type { Context } from "aws-lambda";
import { ROUTES, routeKey, type Audience, type AudienceHandler } from "../routes";
import { json, type HttpEvent, type HttpResult } from "./http";

/** A route module's `handler`, as every module under api/ exports it. */
export type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** The route modules of an audience, by the name the route table gives them ("api/missions"): exactly its routes' modules. */
export type AudienceModules<A extends Audience> = Record<AudienceHandler<A>, { handler: RouteHandler }>;

/**
 * The Lambda handler of an audience's function: it passes each request to the module that the route
 * table names for its API Gateway route key (`event.routeKey`, e.g. "GET /missions/{id}"), so one
 * function serves all of the audience's routes and the route modules stay as they are. The map from
 * route key to module is built once, when the function loads. A route key the audience does not
 * serve (a route attached to the wrong function) is answered 404 `route_not_found`.
 */
export function audienceHandler<A extends Audience>(audience: A, modules: AudienceModules<A>): RouteHandler {
  const byModule = modules as Record<string, { handler: RouteHandler }>;
  const routes = new Map(ROUTES.filter((r) => r.audience === audience).map((r) => [routeKey(r), byModule[r.handler]!.handler]));
  return async (event, context) => {
    const key = event.routeKey ?? event.requestContext?.routeKey;
    const route = routes.get(key);
    if (!route) return json(404, { error: { code: "route_not_found", message: `The ${audience} function has no route ${JSON.stringify(key)}.` } });
    return route(event, context);
  };
}
