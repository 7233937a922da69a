import type { Config } from "@mission-mail/core/platform/config";
import type { DynamoOutbox } from "@mission-mail/core/campaigns/dynamo-outbox";
import { awsSdk } from "./aws";
import { createPlatform, type Platform, type PlatformOverrides, type PlatformSdk } from "./platform";

/**
 * The composition root: one platform and, built from it on first use, each capability's
 * dependencies (`wiring/<capability>.ts`, each memoised per wiring). Lambda uses one per process
 * (`lambdaWiring()`); the local cloud, tests and the bench build their own with `createWiring`.
 */
export interface Wiring {
  readonly platform: Platform;
  /** The configuration: handlers read it here, and nowhere else. */
  readonly config: Config;
  /** Adapters put in place of the ones the wiring would build (tests wrap the outbox to inject faults). */
  readonly adapters: AdapterOverrides;
}

/** Adapters a wiring may be given instead of building them from the platform. */
export interface AdapterOverrides {
  outbox?: DynamoOutbox;
}

export type WiringOverrides = PlatformOverrides & AdapterOverrides;

/**
 * A wiring over the configuration (the environment by default), with `overrides` in place of the
 * parts they name. Builds nothing yet. `sdk` makes the AWS parts (wiring/aws.ts by default).
 */
export function createWiring(overrides: WiringOverrides = {}, sdk: PlatformSdk | undefined = awsSdk()): Wiring {
  const { outbox, ...platformOverrides } = overrides;
  const platform = createPlatform(platformOverrides, sdk);
  return {
    platform,
    get config() {
      return platform.config;
    },
    adapters: outbox ? { outbox } : {},
  };
}

/**
 * Memoises what `build` makes from a wiring, once per wiring: the capability modules use it, so each
 * set of dependencies is built on first use and shared by every later invocation.
 */
export function perWiring<T>(build: (w: Wiring) => T): (w: Wiring) => T {
  const made = new WeakMap<Wiring, T>();
  return (w) => {
    if (!made.has(w)) made.set(w, build(w));
    return made.get(w)!;
  };
}
