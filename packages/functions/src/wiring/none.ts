import type { Wiring } from "./wiring";

const refuse = (): never => {
  throw new Error("This function is wired without a platform: it serves a fixed script, page or document.");
};

/**
 * The wiring of a Lambda function that needs nothing from it (a script, a fixed page, the OpenAPI
 * document): it imports neither the configuration nor the AWS SDK, and refuses if anything is asked
 * of it.
 */
export const noWiring: Wiring = {
  get platform() {
    return refuse();
  },
  get config() {
    return refuse();
  },
  get adapters() {
    return refuse();
  },
};
