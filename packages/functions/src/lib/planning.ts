import type { AlertDeps } from "@mission-mail/core/content/alerts";
import { compileContentEmail } from "@mission-mail/core/delivery/compile-content";
import type { DigestDeps } from "@mission-mail/core/digest/plan-digest";
import type { Deps } from "./deps";

/** The planners' dependencies (content alerts and digests), from the process-wide ones. MJML lives here, never in the sender. */
export function planningDeps(d: Deps, owner: string): AlertDeps & DigestDeps {
  return {
    outbox: d.outbox,
    runs: d.outbox,
    sendQueue: d.queue,
    planQueue: d.planQueue,
    clock: d.clock,
    owner,
    store: d.store,
    content: d.content,
    windows: d.windows,
    compile: compileContentEmail,
    windowMs: d.config.ALERT_WINDOW_SECONDS * 1000,
  };
}
