import { Stack } from "aws-cdk-lib/core";
import type { CfnRoute, CfnStage } from "aws-cdk-lib/aws-apigatewayv2";
import * as apigatewayv2 from "aws-cdk-lib/aws-apigatewayv2";
import type { IConstruct } from "constructs";

/** Requests per second (steady) and burst, as API Gateway's throttling takes them. */
export interface Throttle {
  rate: number;
  burst: number;
}

/**
 * Every route's limit unless it has its own: far above what the pages and mail clients' one-click
 * unsubscribes need after a large send, far below the account's 10,000/s, so one flood cannot take
 * the account's whole API Gateway quota or scale Lambda without bound.
 */
export const DEFAULT_THROTTLE: Throttle = { rate: 500, burst: 1000 };

/**
 * Stricter limits for routes that create work for others. Sign-ups are sized for 200 a second (the
 * confirmations queue behind the paced sender); beyond that it is abuse, which the per-address and
 * per-IP limits in the app answer one by one. A data-rights request emails a link, and the CMS
 * webhook is one client.
 */
export const ROUTE_THROTTLES: Record<string, Throttle> = {
  "POST /api/subscriptions": { rate: 200, burst: 400 },
  "POST /subscribe": { rate: 200, burst: 400 },
  "POST /api/me/requests": { rate: 20, burst: 40 },
  "POST /webhooks/content": { rate: 50, burst: 100 },
};

/**
 * Sets API Gateway's throttling on the HTTP API's default stage: DEFAULT_THROTTLE for every route and
 * ROUTE_THROTTLES for the routes named there. HTTP APIs take no WAF, so this is the edge's only limit.
 * Call it after the routes are added: route settings name routes that must exist first.
 */
export function throttleRoutes(api: IConstruct & { cdk: { httpApi: apigatewayv2.HttpApi } }): void {
  const stage = api.cdk.httpApi.defaultStage?.node.defaultChild as CfnStage | undefined;
  if (!stage) throw new Error("The HTTP API has no default stage to throttle");
  stage.defaultRouteSettings = { ...(stage.defaultRouteSettings as object), throttlingRateLimit: DEFAULT_THROTTLE.rate, throttlingBurstLimit: DEFAULT_THROTTLE.burst };

  // SST makes the routes in the scope given to addRoutes (the stack), not under the Api construct.
  const routes = Stack.of(api).node.findAll().filter((c): c is CfnRoute => c instanceof apigatewayv2.CfnRoute);
  const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
  for (const [routeKey, limit] of Object.entries(ROUTE_THROTTLES)) {
    const route = routes.find((r) => r.routeKey === routeKey);
    if (!route) throw new Error(`No route "${routeKey}" to throttle: ROUTE_THROTTLES names a route the API does not have`);
    routeSettings[routeKey] = { ThrottlingRateLimit: limit.rate, ThrottlingBurstLimit: limit.burst };
    stage.addDependency(route);
  }
  stage.routeSettings = routeSettings;
}
