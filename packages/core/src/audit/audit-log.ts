import type { AuditEntry, AuditLog } from "./ports";
import type { StaffIdentity } from "../staff";
import type { Clock, Ids } from "../platform/ports";

/** Longest string kept in an entry's details; longer ones are cut. */
const MAX_DETAIL_STRING = 300;
/** Most items kept of a list in an entry's details. */
const MAX_DETAIL_ITEMS = 50;
/** Largest details object kept, as JSON; beyond it only its keys are recorded. */
const MAX_DETAILS_BYTES = 4096;

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

function compact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.length > MAX_DETAIL_STRING ? `${value.slice(0, MAX_DETAIL_STRING)}…` : value;
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (depth >= 4) return "…";
  if (Array.isArray(value)) return value.slice(0, MAX_DETAIL_ITEMS).map((v) => compact(v, depth + 1));
  if (typeof value === "object") return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, compact(v, depth + 1)]));
  return undefined;
}

/**
 * Bounds an entry's details: long strings are cut, long lists shortened, and an object still larger
 * than 4 KB is replaced by its keys. Details name the request's key fields, never subscribers'
 * addresses (a test send records how many recipients, not who).
 */
export function compactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out = compact(details) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(out)) <= MAX_DETAILS_BYTES) return out;
  return { truncated: true, keys: Object.keys(details).slice(0, MAX_DETAIL_ITEMS) };
}

/**
 * Records one staff action in the audit log, before its effect goes out (so nothing is sent
 * without a record), and answers the entry. Every staff route that changes something calls this
 * with the identity `requireStaff` verified: digest runs now, announcements and missions later.
 */
export async function recordStaffAction(
  deps: { audit: AuditLog; clock: Clock; ids: Ids },
  actor: StaffIdentity,
  action: string,
  targetId: string,
  details: Record<string, unknown> = {},
): Promise<AuditEntry> {
  if (!ACTION.test(action)) throw new Error(`Audit action names are dotted lower case, got "${action}"`);
  const entry: AuditEntry = {
    id: deps.ids.next(),
    at: new Date(deps.clock.now()).toISOString(),
    actor: { sub: actor.sub, ...(actor.email ? { email: actor.email } : {}) },
    action,
    targetId,
    details: compactDetails(details),
  };
  await deps.audit.append(entry);
  return entry;
}

/** The page cursor for the entries older than `entry` (opaque to clients). */
export const auditCursor = (entry: Pick<AuditEntry, "at" | "id">): string => Buffer.from(`${entry.at}#${entry.id}`).toString("base64url");

/** The `at#id` a cursor stands for, or undefined if it is not one of ours. */
export function decodeAuditCursor(cursor: string): { at: string; id: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? { at: match[1]!, id: match[2]! } : undefined;
}
