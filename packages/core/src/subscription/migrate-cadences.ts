import { recordStaffAction, type AuditLog } from "../audit";
import * as z from "zod";
import { AppError, zodProblems } from "../shared/errors";
import { inParallel } from "../shared/in-parallel";
import type { StaffIdentity } from "../staff";
import type { Clock, Ids } from "../platform/ports";
import type { MembershipRepair, SubscriberDirectory } from "./ports";
import { cursorOf, subscriberAfter } from "./export-subscribers";

/** Default and largest page of the migration. */
export const MIGRATION_PAGE = 200;
export const MAX_MIGRATION_PAGE = 500;

/** The body of `POST /api/staff/migrations/cadence-by-mission`: how many subscribers, and from where. */
export const MigrationRequest = z
  .object({
    limit: z.number({ error: `limit must be a whole number from 1 to ${MAX_MIGRATION_PAGE}.` }).int().min(1).max(MAX_MIGRATION_PAGE).optional(),
    after: z.string({ error: "after must be the next of a previous page." }).max(200).optional(),
  })
  .strict();

export interface MigrateCadencesDeps {
  directory: SubscriberDirectory & MembershipRepair;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
}

/** What one page of the migration did. */
export interface MigrationPage {
  /** Active subscribers looked at. */
  checked: number;
  /** Those whose memberships or profile were re-written. */
  rewritten: number;
  /** Those who changed their choices while being looked at; a run again picks them up. */
  changed: number;
  /** The `after` of the next page; absent on the last. */
  next?: string;
}

/**
 * One page of the one-off cadence-by-mission migration (`POST /api/staff/migrations/cadence-by-mission`,
 * `mm migrate cadence-by-mission`). Subscribers stored before per-mission cadences need no rewrite:
 * without `cadenceByMission` every mission follows `cadence`, which is what their memberships are
 * keyed by. The migration checks that, page by page through the active subscribers (Query on the
 * sparse subscriber index, never Scan), and re-writes any subscriber whose fan-out memberships do not
 * match their choices (each mission's own cadence, the `mixed` mark), normalising the profile's
 * overrides. Idempotent: a second run re-writes nobody. Each page is audited with its counts.
 */
export async function migrateCadences(deps: MigrateCadencesDeps, actor: StaffIdentity, body: unknown): Promise<MigrationPage> {
  const parsed = MigrationRequest.safeParse(body);
  if (!parsed.success) throw new AppError(400, "validation_failed", "The migration request has invalid fields; see fields for each problem.", zodProblems(parsed.error));
  const limit = parsed.data.limit ?? MIGRATION_PAGE;
  const after = parsed.data.after === undefined ? undefined : subscriberAfter(parsed.data.after);
  if (parsed.data.after !== undefined && !after) {
    throw new AppError(400, "validation_failed", "after is not a cursor this API gave out; use the next of a previous page.", [{ field: "after", message: "not a cursor from this API" }]);
  }

  const page = await deps.directory.activeSubscribers(limit, deps.clock.now(), after);
  let rewritten = 0;
  let changed = 0;
  await inParallel(page.subscribers, 8, async (s) => {
    const outcome = await deps.directory.repairMemberships(s);
    if (outcome === "rewritten") rewritten += 1;
    if (outcome === "changed") changed += 1;
  });
  const result: MigrationPage = { checked: page.subscribers.length, rewritten, changed, ...(page.last ? { next: cursorOf(page.last) } : {}) };
  await recordStaffAction(deps, actor, "subscribers.migrate-cadences", "subscribers", { checked: result.checked, rewritten, changed, page: after ? "next" : "first" });
  return result;
}
