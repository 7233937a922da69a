import { subscribe } from "@mission-mail/core/subscription/subscribe";
import { deps, subscribeDeps } from "../lib/deps";
import { clientIp, httpHandler, json, jsonBody } from "../lib/http";

/** POST /api/subscriptions: starts a double opt-in subscription; always 202 pending on success. */
export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const d = await deps();
  const result = await subscribe(
    subscribeDeps(d),
    body,
    { ip: clientIp(event, d.config.TRUST_PROXY), source: "api" },
  );
  return json(202, result);
});
