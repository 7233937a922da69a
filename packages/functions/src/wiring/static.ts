import { createPlatform } from "./platform";
import type { Wiring } from "./wiring";

let wiring: Wiring | undefined;

/**
 * The process-wide wiring of a Lambda function that serves a page or script and reaches no AWS
 * service: the configuration (read on first use) and time only. It never imports the AWS SDK, so
 * those functions stay small; anything that needs AWS uses `lambdaWiring()`.
 */
export function staticWiring(): Wiring {
  if (!wiring) {
    const platform = createPlatform({}, undefined);
    wiring = {
      platform,
      get config() {
        return platform.config;
      },
      adapters: {},
    };
  }
  return wiring;
}
