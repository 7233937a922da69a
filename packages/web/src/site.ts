import { AsyncLocalStorage } from "node:async_hooks";
// Straight from the domain's shared module, not through ./core: the HTTP layer imports this file for
// every route, the asset route included, so it must not pull in the pages' dependencies.
import { DEFAULT_AGENCY_NAME, type SiteIdentity } from "@mission-mail/core/shared/site";

export type { SiteIdentity };

/** Where a page rendered outside any request (unit tests, previews) gets its identity: the configuration's neutral default. */
const NEUTRAL: SiteIdentity = { agencyName: { ...DEFAULT_AGENCY_NAME } };

const scope = new AsyncLocalStorage<() => SiteIdentity>();

/**
 * Runs a request with the site's identity (who publishes the pages) at hand for every page it
 * renders: the layout's header names the agency from it, and the statements fill in its name. `site` is read only when a page is rendered, so JSON routes never read it.
 */
export function withSite<T>(site: () => SiteIdentity, run: () => Promise<T>): Promise<T> {
  return scope.run(site, run);
}

/** The identity of the request being served, or the neutral default outside one. */
export function currentSite(): SiteIdentity {
  const site = scope.getStore();
  return site ? site() : NEUTRAL;
}
