import type { FieldProblem } from "../shared/errors";
import { CADENCES, type Cadence } from "../shared/vocabulary";

/** What the per-mission cadence rules need of a subscriber's choices. */
export interface CadenceChoices {
  missions: string[];
  cadence: Cadence;
  cadenceByMission?: Record<string, Cadence>;
}

/** The cadence a subscriber follows one mission at: its override, else their cadence. */
export function cadenceOf(choices: CadenceChoices, missionId: string): Cadence {
  const own = choices.cadenceByMission?.[missionId];
  return own !== undefined && Object.hasOwn(choices.cadenceByMission!, missionId) ? own : choices.cadence;
}

/**
 * The overrides as stored: only chosen missions whose cadence differs from `cadence`, so that
 * `cadenceByMission` is absent when one cadence holds for every mission (as for every subscriber stored
 * before per-mission cadences). Answers undefined when nothing differs.
 */
export function normaliseCadences(choices: CadenceChoices): Record<string, Cadence> | undefined {
  const out: Record<string, Cadence> = {};
  for (const m of choices.missions) {
    const c = cadenceOf(choices, m);
    if (c !== choices.cadence) out[m] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Whether a subscriber follows their missions at more than one cadence (their digests then need de-duplicating). */
export function hasMixedCadences(choices: CadenceChoices): boolean {
  return normaliseCadences(choices) !== undefined;
}

/**
 * Problems with `cadenceByMission` that the schema cannot see: every key must be one of the chosen
 * `missions` and a mission of the catalogue (`known`). Fields are named `cadenceByMission.<id>`.
 */
export function cadenceByMissionProblems(raw: Record<string, unknown>, known: (id: string) => boolean, problems: FieldProblem[]): FieldProblem[] {
  const map = raw.cadenceByMission;
  if (map === undefined || typeof map !== "object" || map === null || Array.isArray(map)) return [];
  const chosen = new Set(Array.isArray(raw.missions) ? raw.missions.filter((m): m is string => typeof m === "string") : []);
  const out: FieldProblem[] = [];
  for (const id of Object.keys(map)) {
    const field = `cadenceByMission.${id.slice(0, 64)}`;
    if (problems.some((p) => p.field === field)) continue;
    if (!known(id)) out.push({ field, message: `Unknown mission "${id.slice(0, 64)}".` });
    else if (!chosen.has(id)) out.push({ field, message: `"${id.slice(0, 64)}" is not one of the chosen missions; choose it in missions or leave it out of cadenceByMission.` });
  }
  return out;
}

/**
 * Parses the import file's `cadenceByMission` column: `mission:cadence` pairs separated by `;`
 * (`food-system:immediate;mobility:daily`). An empty cell means no overrides. Answers the object or
 * a problem that says what is wrong.
 */
export function parseCadenceColumn(cell: string): { value: Record<string, Cadence> } | { problem: string } {
  const value: Record<string, Cadence> = {};
  for (const pair of cell.split(";").map((p) => p.trim()).filter(Boolean)) {
    const [mission, cadence, ...rest] = pair.split(":").map((p) => p.trim());
    if (!mission || !cadence || rest.length) return { problem: `"${pair.slice(0, 80)}" is not mission:cadence (e.g. food-system:immediate).` };
    if (!(CADENCES as readonly string[]).includes(cadence)) return { problem: `"${cadence.slice(0, 20)}" for ${mission.slice(0, 64)} is not one of ${CADENCES.join(", ")}.` };
    value[mission] = cadence as Cadence;
  }
  return { value };
}

/** The column's text for an object of overrides (the export writes it, the import reads it back). */
export function formatCadenceColumn(map: Record<string, Cadence> | undefined): string {
  return Object.entries(map ?? {})
    .map(([m, c]) => `${m}:${c}`)
    .join(";");
}
