import * as z from "zod";
import { recordStaffAction, type AuditLog } from "../audit";
import { AppError, type FieldProblem, zodProblems } from "../shared/errors";
import type { ManagedMission, MissionCatalogue } from "./ports";
import type { StaffIdentity } from "../staff";
import type { Clock, Ids, JobQueue } from "../platform/ports";
import type { PlanJob } from "../shared/jobs";
import { normaliseAddress } from "../shared/email-address";

export interface MissionAdminDeps {
  missions: MissionCatalogue;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  planQueue: JobQueue<PlanJob>;
}

/** A mission as the staff API shows it. */
export interface MissionView {
  id: string;
  name: { sv: string; en: string };
  description: { sv: string; en: string };
  contact: string;
  /** Where replies to email about the mission go; absent: the service's general address. */
  teamAddress?: string;
  status: "active" | "retired";
  version: number;
  createdAt?: string;
  updatedAt?: string;
  retiredAt?: string;
}

/** The campaign that tells a retired mission's followers (a contract like the other campaign keys). */
export const retirementCampaignKey = (missionId: string) => `mission-retired#${missionId}`;

const MISSION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} must not be empty.`)
    .max(max, `${label} is at most ${max} characters.`)
    .refine((s) => !CONTROL.test(s), `${label} contains control characters.`);

const inBothLanguages = (label: string, max: number) =>
  z.object({ sv: text(`${label} in Swedish`, max), en: text(`${label} in English`, max) }, { error: `${label} is required in Swedish and English: {"sv": "…", "en": "…"}.` }).strict();

const missionFields = {
  name: inBothLanguages("The name", 120),
  description: inBothLanguages("The description", 1000),
  contact: z.string({ error: "The team's contact address (a shared inbox, not a person's) is required." }).max(320, "The contact address is too long."),
  teamAddress: z
    .string({ error: "teamAddress is an email address (the team's shared inbox, where replies to the mission's emails go), or left out." })
    .max(320, "The team address is too long.")
    .optional(),
};

/** The body of `POST /api/staff/missions`. */
export const NewMission = z
  .object({
    id: z
      .string({ error: "id is required." })
      .max(64, "id is at most 64 characters.")
      .regex(MISSION_ID, 'id must be kebab-case: lower-case letters and digits, words joined by single hyphens (e.g. "circular-economy").'),
    ...missionFields,
  })
  .strict();

/** The body of `PUT /api/staff/missions/{id}`: every field, and the version the change starts from. */
export const MissionEdit = z
  .object({
    version: z.number({ error: "version is required: the version you read, so that nobody else's change is overwritten." }).int().positive(),
    ...missionFields,
  })
  .strict();

/** Whether a string can be a mission id at all (a path parameter that is not one is simply not found). */
export const isMissionId = (id: string) => id.length <= 64 && MISSION_ID.test(id);

export function missionView(m: ManagedMission): MissionView {
  return {
    id: m.id,
    name: { sv: m.name.sv, en: m.name.en },
    description: { sv: m.description.sv, en: m.description.en },
    contact: m.contact,
    ...(m.teamAddress ? { teamAddress: m.teamAddress } : {}),
    status: m.status,
    version: m.version,
    ...(m.createdAt ? { createdAt: m.createdAt } : {}),
    ...(m.updatedAt ? { updatedAt: m.updatedAt } : {}),
    ...(m.retiredAt ? { retiredAt: m.retiredAt } : {}),
  };
}

const notFound = (id: string) => new AppError(404, "mission_not_found", `No mission "${id.slice(0, 64)}".`);

/** Validates a body against a schema plus the contact and team addresses; answers the data or throws 400 with every problem. */
function validate<T extends { contact: string; teamAddress?: string | undefined }>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  const problems: FieldProblem[] = parsed.success ? [] : zodProblems(parsed.error);
  const raw = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  let contact: string | undefined;
  if (typeof raw.contact === "string" && !problems.some((p) => p.field === "contact")) {
    const normalised = normaliseAddress(raw.contact);
    if (normalised.ok) contact = normalised.address;
    else problems.push({ field: "contact", message: normalised.reason });
  }
  let teamAddress: string | undefined;
  if (typeof raw.teamAddress === "string" && !problems.some((p) => p.field === "teamAddress")) {
    const normalised = normaliseAddress(raw.teamAddress);
    if (normalised.ok) teamAddress = normalised.address;
    else problems.push({ field: "teamAddress", message: normalised.reason });
  }
  if (!parsed.success || problems.length || !contact) {
    throw new AppError(400, "validation_failed", "The mission has invalid fields; see fields for each problem.", problems);
  }
  const { teamAddress: _given, ...rest } = parsed.data;
  return { ...rest, contact, ...(teamAddress ? { teamAddress } : {}) } as T;
}

/** Every mission, retired ones included, active first and then by id. */
export async function listMissions(deps: Pick<MissionAdminDeps, "missions">): Promise<MissionView[]> {
  const all = await deps.missions.listAll();
  return all.sort((a, b) => (a.status === b.status ? a.id.localeCompare(b.id) : a.status === "active" ? -1 : 1)).map(missionView);
}

/** One mission, or 404. */
export async function getMission(deps: Pick<MissionAdminDeps, "missions">, id: string): Promise<ManagedMission> {
  const mission = isMissionId(id) ? await deps.missions.get(id) : undefined;
  if (!mission) throw notFound(id);
  return mission;
}

/**
 * Adds a mission, active at once: public pages and the sign-up widget offer it from the next request.
 * The id is permanent (it is in links and in subscribers' choices); a taken id is 409. Audited.
 */
export async function addMission(deps: MissionAdminDeps, actor: StaffIdentity, body: unknown): Promise<MissionView> {
  const input = validate(NewMission, body);
  if (await deps.missions.get(input.id)) throw new AppError(409, "mission_exists", `A mission with id "${input.id}" exists already; choose another id.`);
  const at = new Date(deps.clock.now()).toISOString();
  const mission: ManagedMission = { ...input, status: "active", version: 1, createdAt: at, updatedAt: at };
  await recordStaffAction(deps, actor, "mission.add", input.id, { name: input.name });
  if ((await deps.missions.add(mission)) === "exists") throw new AppError(409, "mission_exists", `A mission with id "${input.id}" exists already; choose another id.`);
  return missionView(mission);
}

/**
 * Replaces a mission's name, description, contact and team address (left out: none, so replies go to
 * the general address). The body names the version it was based on; if
 * someone changed the mission since, nothing is stored and the answer is 409 `version_conflict`.
 * Retired missions are not edited. Audited, with which fields changed.
 */
export async function editMission(deps: MissionAdminDeps, actor: StaffIdentity, id: string, body: unknown): Promise<MissionView> {
  const current = await getMission(deps, id);
  const input = validate(MissionEdit, body);
  if (current.status === "retired") throw new AppError(409, "mission_retired", `The mission "${id}" is retired and can no longer be changed.`);
  const conflict = () =>
    new AppError(409, "version_conflict", `The mission was changed by someone else since version ${input.version}; reload it (now version ${current.version}) and make your change again.`);
  if (input.version !== current.version) throw conflict();
  const same = (a: { sv: string; en: string }, b: { sv: string; en: string }) => a.sv === b.sv && a.en === b.en;
  const changed = [
    ...(same(current.name, input.name) ? [] : ["name"]),
    ...(same(current.description, input.description) ? [] : ["description"]),
    ...(current.contact === input.contact ? [] : ["contact"]),
    ...(current.teamAddress === input.teamAddress ? [] : ["teamAddress"]),
  ];
  const at = new Date(deps.clock.now()).toISOString();
  const { teamAddress: _old, ...unchanged } = current;
  const next: ManagedMission = {
    ...unchanged,
    name: input.name,
    description: input.description,
    contact: input.contact,
    ...(input.teamAddress ? { teamAddress: input.teamAddress } : {}),
    version: current.version + 1,
    updatedAt: at,
  };
  // The contact is a role address, but it stays out of the log all the same: the log names fields, not values.
  await recordStaffAction(deps, actor, "mission.edit", id, { fromVersion: input.version, changed, ...(changed.includes("name") ? { name: input.name } : {}) });
  if ((await deps.missions.update(next, input.version)) === "conflict") throw conflict();
  return missionView(next);
}

/**
 * Retires a mission: it is no longer offered (public pages, sign-up, preferences), and a plan-queue
 * job tells each follower once, in their language, and takes the mission out of their choices (see
 * retire-mission.ts). Retiring again is harmless: it finishes an interrupted retirement and emails
 * nobody twice. Audited before it takes effect.
 */
export async function retireMission(deps: MissionAdminDeps, actor: StaffIdentity, id: string): Promise<{ mission: MissionView; campaign: string }> {
  const current = await getMission(deps, id);
  await recordStaffAction(deps, actor, "mission.retire", id, { alreadyRetired: current.status === "retired", version: current.version });
  const retired = await deps.missions.retire(id, new Date(deps.clock.now()).toISOString());
  if (!retired) throw notFound(id);
  await deps.planQueue.enqueue({ kind: "retire-mission", missionId: id });
  return { mission: missionView(retired), campaign: retirementCampaignKey(id) };
}
