import { subscribe } from "@mission-mail/core/subscription/subscribe";
import { deps } from "../lib/deps";
import { clientIp, httpHandler, json, jsonBody } from "../lib/http";

/** POST /api/subscriptions: starts a double opt-in subscription; always 202 pending on success. */
export const handler = httpHandler(async (event) => {
  const body = jsonBody(event);
  const d = await deps();
  const result = await subscribe(
    {
      store: d.store,
      limiter: d.store,
      queue: d.queue,
      clock: d.clock,
      ids: d.ids,
      settings: {
        addressPepper: d.config.ADDRESS_PEPPER,
        ipSalt: d.config.IP_SALT,
        rateLimitPerAddress: d.config.RATE_LIMIT_PER_ADDRESS,
        rateLimitPerIp: d.config.RATE_LIMIT_PER_IP,
        rateWindowSeconds: d.config.RATE_WINDOW_SECONDS,
      },
    },
    body,
    { ip: clientIp(event, d.config.TRUST_PROXY), source: "api" },
  );
  return json(202, result);
});
