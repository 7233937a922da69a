import { ROUTES, routeKey, type Audience, type AudienceHandler } from "../routes";
import type { Wiring } from "../wiring/wiring";
import { loadOnce } from "./load-once";
import { crossSiteRefusal } from "./cross-site";
import { json, withTransportSecurity, type HttpEvent, type HttpResult, type HttpRoute } from "./http";

/** The audiences whose state-changing routes browsers post forms to, and so guard against cross-site posts. */
const BROWSER_AUDIENCES: ReadonlySet<Audience> = new Set(["public", "subscriber"]);

/** What every module under api/ exports: the route on a given wiring, and the Lambda handler that runs it on the process's. */
export interface RouteModule {
  route: HttpRoute;
  handler: (event: HttpEvent) => Promise<HttpResult>;
}

/**
 * The route modules of an audience, by the name the route table gives them ("api/public/missions"):
 * exactly its routes' modules, each as a dynamic `import()` of the module, so that a cold start loads
 * only the module of the route it serves (the functions are bundled with code splitting: each route
 * module is a chunk of its own, and what routes share is in shared chunks).
 */
export type AudienceModules<A extends Audience> = Record<AudienceHandler<A>, () => Promise<RouteModule>>;

/** One audience's function: the Lambda `handler`, and `route` for running it on another wiring (the local cloud's). */
export interface AudienceFunction {
  handler: (event: HttpEvent) => Promise<HttpResult>;
  route: (event: HttpEvent, wiring: Wiring | Promise<Wiring>) => Promise<HttpResult>;
}

/**
 * The function that serves an audience's routes: it passes each request to the module that the route
 * table names for its API Gateway route key (`event.routeKey`, e.g. "GET /missions/{id}"), so one
 * Lambda function serves all of the audience's routes and the route modules stay as they are. The
 * map from route key to module loader is built once, when the function loads; a route's module is
 * imported on the first request for it (once: later requests reuse it). A route key the audience does
 * not serve (a route attached to the wrong function) is answered 404 `route_not_found`. The audiences
 * browsers post to (public and subscriber) refuse a state-changing request from another site first
 * (403 `cross_site_request`, lib/cross-site.ts), before any route runs. Every answer given over https
 * carries `Strict-Transport-Security`.
 */
export function audienceFunction<A extends Audience>(audience: A, modules: AudienceModules<A>): AudienceFunction {
  const byName = modules as Record<string, () => Promise<RouteModule>>;
  // One loader per module (several route keys may share one, e.g. the statement pages): a module is imported once.
  const loaders = new Map<string, () => Promise<RouteModule>>();
  const loaderOf = (name: string) => {
    if (!loaders.has(name)) loaders.set(name, loadOnce(byName[name]!));
    return loaders.get(name)!;
  };
  const routes = new Map(ROUTES.filter((r) => r.audience === audience).map((r) => [routeKey(r), loaderOf(r.handler)]));
  const notServed = (event: HttpEvent): HttpResult => {
    const key = event.routeKey ?? event.requestContext?.routeKey;
    return json(404, { error: { code: "route_not_found", message: `The ${audience} function has no route ${JSON.stringify(key)}.` } });
  };
  const moduleFor = (event: HttpEvent) => routes.get(event.routeKey ?? event.requestContext?.routeKey)?.();
  const guarded = BROWSER_AUDIENCES.has(audience);
  const refused = async (event: HttpEvent) => (guarded ? await crossSiteRefusal(event) : undefined);
  return {
    handler: async (event) => withTransportSecurity(event, (await refused(event)) ?? (await (await moduleFor(event))?.handler(event)) ?? notServed(event)),
    route: async (event, wiring) => withTransportSecurity(event, (await refused(event)) ?? (await (await moduleFor(event))?.route(event, wiring)) ?? notServed(event)),
  };
}
