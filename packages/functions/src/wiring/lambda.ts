import { loadSstSecrets } from "./secrets";
import { createWiring, type Wiring } from "./wiring";

let wiring: Promise<Wiring> | undefined;

/**
 * The process-wide wiring of a Lambda function, made on its first invocation (never at module top
 * level): the stage's secrets are loaded first, then the configuration is read on first use. A failed
 * secrets load is tried again on the next invocation.
 */
export function lambdaWiring(): Promise<Wiring> {
  const making = (wiring ??= loadSstSecrets().then(() => createWiring()));
  making.catch(() => (wiring = undefined));
  return making;
}
