import * as z from "zod";
import { recordStaffAction, type AuditLog } from "../audit";
import { consentRecord, type ConsentRecord, CURRENT_POLICY_VERSION } from "../consent";
import { inParallel } from "../shared/in-parallel";
import { AppError, type FieldProblem, zodProblems } from "../shared/errors";
import { countMembership, type MissionStats } from "../stats";
import type { StaffIdentity } from "../staff";
import type { RateLimiter, Subscriber, SubscriberDirectory, SubscriberProfiles, SuppressionList } from "./ports";
import type { MissionDirectory } from "../shared/missions";
import type { Clock, Ids, MailQueue } from "../platform/ports";
import { TOKEN_LIFETIMES } from "../shared/tokens";
import { normaliseAddress, addressHmac } from "../shared/email-address";
import { rateLimitAddress } from "../shared/rate-limit-keys";
import { SubscribeRequest } from "./schema";
import { cadenceByMissionProblems, normaliseCadences, parseCadenceColumn } from "./cadences";

/** Most rows in one import request; the CLI sends a file in batches of this size. */
export const MAX_IMPORT_ROWS = 500;
/** Largest import request body, in bytes. */
export const MAX_IMPORT_BYTES = 512 * 1024;

export interface ImportDeps {
  store: SubscriberProfiles & SuppressionList & SubscriberDirectory & MissionDirectory;
  limiter: RateLimiter;
  queue: MailQueue;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  stats?: MissionStats;
  /** Told about a row that failed unexpectedly (for the log; it carries no address). */
  onRowError?: (line: number, err: unknown) => void;
  settings: { addressPepper: string; rateLimitPerAddress: number; rateWindowSeconds: number };
}

const CONSENT_SOURCE_REQUIRED = 'A consent source is required: where and how this person agreed to receive the newsletter (e.g. "paper form at the 2026 launch").';

/** One row of an import: the sign-up's choices, plus where the consent came from and any earlier confirmation. */
const ImportRow = z
  .object({
    /** The row's line in the file, echoed back in its result. */
    line: z.number({ error: "line must be the row's line number in the file." }).int().positive(),
    email: z.string({ error: "Email address is required." }).max(320, "Email address is too long."),
    ...SubscribeRequest.pick({ language: true, missions: true, topics: true, cadence: true, cadenceByMission: true }).shape,
    consentSource: z.string({ error: CONSENT_SOURCE_REQUIRED }).trim().min(1, CONSENT_SOURCE_REQUIRED).max(500, "The consent source is at most 500 characters."),
    /** When the person confirmed before (an ISO date or time): with the consent source, proof of double opt-in elsewhere. */
    confirmedAt: z.string({ error: "confirmedAt must be a date or time, e.g. 2025-03-02." }).trim().max(40).optional(),
  })
  .strict();

/** The body of `POST /api/staff/subscribers/import`. */
export const ImportRequest = z
  .object({
    /** Groups the batches of one file in the audit log. */
    importId: z.string({ error: "importId is required." }).regex(/^[A-Za-z0-9_-]{1,64}$/, "importId must be 1 to 64 letters, digits, - or _."),
    dryRun: z.boolean({ error: "dryRun must be true or false." }).optional(),
    rows: z.array(z.unknown(), { error: "rows must be a list." }).min(1, "rows must not be empty.").max(MAX_IMPORT_ROWS, `At most ${MAX_IMPORT_ROWS} rows per request; send the rest in another.`),
  })
  .strict();

/**
 * What became of one row. `pending`: stored and sent a confirmation email (double opt-in);
 * `activated`: active at once on proof of an earlier confirmation; `known`: the address was already
 * known (pending, active or unsubscribed) and was left as it is; `rejected`: not valid, with the
 * problems; `failed`: valid, but could not be stored now; nothing was kept, so it can be imported again.
 * In a dry run, `pending` and `activated` say what would happen.
 */
export interface ImportRowResult {
  line: number;
  status: "pending" | "activated" | "known" | "rejected" | "failed";
  problems?: FieldProblem[];
}

export interface ImportResult {
  importId: string;
  dryRun: boolean;
  results: ImportRowResult[];
  counts: Record<ImportRowResult["status"], number>;
}

interface ValidRow {
  line: number;
  address: string;
  hmac: string;
  row: z.infer<typeof ImportRow>;
  /** The claimed earlier confirmation, as an ISO time. */
  confirmedAt?: string;
}

/** A claimed confirmation time: an ISO date (midnight UTC) or date-time, not in the future. */
function confirmationTime(text: string, nowMs: number): { at: string } | { problem: string } {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return { problem: 'confirmed_at must be a date or time such as 2025-03-02 or 2025-03-02T14:30:00+01:00.' };
  if (ms > nowMs + 60_000) return { problem: "confirmed_at is in the future." };
  if (ms < Date.UTC(1995, 0, 1)) return { problem: "confirmed_at is before 1995; check the date." };
  return { at: new Date(ms).toISOString() };
}

/** Validates one row against the active missions: answers the row ready to store, or its problems. */
function validateRow(deps: ImportDeps, activeMissions: Set<string>, raw: unknown, index: number, nowMs: number): ValidRow | ImportRowResult {
  let obj = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const line = typeof obj.line === "number" && Number.isInteger(obj.line) && obj.line > 0 ? obj.line : index + 1;
  // The CSV column's text form (`mission:cadence;mission:cadence`) is read as the object it stands for.
  const columnProblems: FieldProblem[] = [];
  if (typeof obj.cadenceByMission === "string") {
    const column = parseCadenceColumn(obj.cadenceByMission);
    if ("value" in column) raw = obj = { ...obj, cadenceByMission: column.value };
    else columnProblems.push({ field: "cadenceByMission", message: column.problem });
  }
  const parsed = ImportRow.safeParse(columnProblems.length ? { ...obj, cadenceByMission: undefined } : raw);
  const problems: FieldProblem[] = [...columnProblems, ...(parsed.success ? [] : zodProblems(parsed.error))];
  let address: string | undefined;
  if (typeof obj.email === "string" && !problems.some((p) => p.field === "email")) {
    const normalised = normaliseAddress(obj.email);
    if (normalised.ok) address = normalised.address;
    else problems.push({ field: "email", message: normalised.reason });
  }
  if (Array.isArray(obj.missions)) {
    obj.missions.forEach((id, i) => {
      if (typeof id === "string" && !activeMissions.has(id) && !problems.some((p) => p.field === `missions.${i}`)) problems.push({ field: `missions.${i}`, message: `Unknown mission "${id.slice(0, 64)}".` });
    });
  }
  problems.push(...cadenceByMissionProblems(obj, (id) => activeMissions.has(id), problems));
  let confirmedAt: string | undefined;
  if (parsed.success && parsed.data.confirmedAt) {
    const checked = confirmationTime(parsed.data.confirmedAt, nowMs);
    if ("at" in checked) confirmedAt = checked.at;
    else problems.push({ field: "confirmedAt", message: checked.problem });
  }
  if (!parsed.success || problems.length || !address) return { line, status: "rejected", problems };
  return { line, address, hmac: addressHmac(address, deps.settings.addressPepper), row: parsed.data, ...(confirmedAt ? { confirmedAt } : {}) };
}

/** Stores one valid row, all or nothing, and answers what became of it. */
async function importRow(deps: ImportDeps, v: ValidRow, dryRun: boolean): Promise<ImportRowResult> {
  const now = deps.clock.now();
  if (await deps.store.isSuppressed(v.hmac)) {
    return { line: v.line, status: "rejected", problems: [{ field: "email", message: "The address is on the suppression list (a hard bounce, a complaint or an erasure); it is not imported." }] };
  }
  if (await deps.store.findByAddress(v.hmac, now)) return { line: v.line, status: "known" };
  const proof = v.confirmedAt !== undefined;
  if (dryRun) return { line: v.line, status: proof ? "activated" : "pending" };

  const iso = new Date(now).toISOString();
  const missions = [...new Set(v.row.missions)];
  const topics = [...new Set(v.row.topics)];
  const cadenceByMission = normaliseCadences({ missions, cadence: v.row.cadence, ...(v.row.cadenceByMission ? { cadenceByMission: v.row.cadenceByMission } : {}) });
  const subscriber: Subscriber = {
    id: deps.ids.next(),
    email: v.address,
    addressHmac: v.hmac,
    status: proof ? "active" : "pending",
    policyVersion: CURRENT_POLICY_VERSION,
    language: v.row.language,
    missions,
    topics,
    cadence: v.row.cadence,
    ...(cadenceByMission ? { cadenceByMission } : {}),
    tracking: false,
    createdAt: iso,
    ...(proof ? { confirmedAt: v.confirmedAt } : { expiresAt: Math.floor(now / 1000) + TOKEN_LIFETIMES.confirm }),
  };
  const record: ConsentRecord = consentRecord({
    id: deps.ids.next(),
    subscriberId: subscriber.id,
    at: iso,
    event: proof ? "confirmed" : "requested",
    missions,
    topics,
    cadence: subscriber.cadence,
    ...(cadenceByMission ? { cadenceByMission } : {}),
    language: subscriber.language,
    policyVersion: CURRENT_POLICY_VERSION,
    source: "import",
    evidence: { consentSource: v.row.consentSource, ...(proof ? { claimedConfirmedAt: v.confirmedAt } : {}) },
  });

  if (proof) {
    if ((await deps.store.importActive(subscriber, record)) === "exists") return { line: v.line, status: "known" };
    await countMembership(deps.stats, [], missions, now);
    return { line: v.line, status: "activated" };
  }
  // The public per-IP limit does not apply to staff; the per-address one does, so nobody is flooded with confirmations.
  const limitKey = addressHmac(rateLimitAddress(v.address), deps.settings.addressPepper);
  const limit = await deps.limiter.hit("address", limitKey, deps.settings.rateLimitPerAddress, deps.settings.rateWindowSeconds, now);
  if (!limit.allowed) {
    return { line: v.line, status: "rejected", problems: [{ field: "email", message: "Too many confirmation emails went to this address lately; import it again later." }] };
  }
  if ((await deps.store.createPending(subscriber, record)) === "exists") return { line: v.line, status: "known" };
  try {
    await deps.queue.enqueue({ kind: "confirm", subscriberId: subscriber.id, requestId: record.id });
  } catch (err) {
    // Without its confirmation email the row would be a sign-up nobody can finish: take it back.
    await deps.store.discardPending(subscriber, record.id, record.at);
    throw err;
  }
  return { line: v.line, status: "pending" };
}

/**
 * Imports subscribers from a list staff hold (a CSV, a batch at a time). Every row needs the source of
 * its consent. Imported people still get double opt-in (a confirmation email) unless the row proves an
 * earlier confirmation (`confirmedAt` with the source): then they are active at once, with a ledger
 * record (source "import") that keeps the stated source and the claimed time. Known addresses
 * (pending, active or unsubscribed) are left alone, suppressed ones refused. Each row is all or
 * nothing; a dry run validates and stores nothing. Audited before and after, with counts only.
 */
export async function importSubscribers(deps: ImportDeps, actor: StaffIdentity, body: unknown): Promise<ImportResult> {
  const parsed = ImportRequest.safeParse(body);
  if (!parsed.success) throw new AppError(400, "validation_failed", "The import request has invalid fields; see fields for each problem.", zodProblems(parsed.error));
  const { importId, rows } = parsed.data;
  const dryRun = parsed.data.dryRun === true;
  const now = deps.clock.now();

  const activeMissions = new Set((await deps.store.listMissions()).filter((m) => m.status === "active").map((m) => m.id));
  const checked = rows.map((raw, i) => validateRow(deps, activeMissions, raw, i, now));
  // The same address twice in one request: the first row counts, the others are reported.
  const firstLine = new Map<string, number>();
  const results: (ImportRowResult | undefined)[] = checked.map((c) => {
    if ("status" in c) return c;
    const first = firstLine.get(c.hmac);
    if (first !== undefined) return { line: c.line, status: "rejected", problems: [{ field: "email", message: `The same address as on line ${first}.` }] };
    firstLine.set(c.hmac, c.line);
    return undefined;
  });
  const valid = checked.map((c, i) => (results[i] ? undefined : (c as ValidRow)));

  await recordStaffAction(deps, actor, "subscribers.import", importId, {
    dryRun,
    rows: rows.length,
    valid: valid.filter(Boolean).length,
    withProof: valid.filter((v) => v?.confirmedAt).length,
  });
  await inParallel(
    valid.flatMap((v, i) => (v ? [{ v, i }] : [])),
    8,
    async ({ v, i }) => {
      try {
        results[i] = await importRow(deps, v, dryRun);
      } catch (err) {
        deps.onRowError?.(v.line, err);
        results[i] = { line: v.line, status: "failed", problems: [{ field: "(row)", message: "The row could not be stored just now; nothing was kept. Import it again." }] };
      }
    },
  );
  const done = results as ImportRowResult[];
  const counts = { pending: 0, activated: 0, known: 0, rejected: 0, failed: 0 };
  for (const r of done) counts[r.status] += 1;
  await recordStaffAction(deps, actor, "subscribers.import-result", importId, { dryRun, ...counts });
  return { importId, dryRun, results: done, counts };
}
