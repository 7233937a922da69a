import { requestSignUp } from "@mission-mail/core/subscription/subscribe";
import { clientIp, httpRoute, json, jsonBody, type HttpEvent } from "../../lib/http";
import { signUpRequests } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * POST /api/subscriptions: starts a double opt-in subscription; always 202 pending on success, the
 * same answer after the same work whether the address is new, pending or active (the sign-up worker
 * decides which).
 */
export const route = httpRoute(async (event, w) => {
  const body = jsonBody(event);
  const result = await requestSignUp(
    signUpRequests(w),
    body,
    { ip: clientIp(event, w.config.TRUST_PROXY), source: "api" },
  );
  return json(202, result);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
