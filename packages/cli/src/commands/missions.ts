import { API_FLAGS, API_HELP, staffApi } from "../api-client";
import { progressBar } from "../progress";
import { UsageError, parseFlags, parseFlagsAndArguments, type Command } from "../router";

interface Mission {
  id: string;
  name: { sv: string; en: string };
  description: { sv: string; en: string };
  contact: string;
  teamAddress?: string;
  status: "active" | "retired";
  version: number;
  retiredAt?: string;
  retirement?: { campaign: string; state: string; planned: number; sent: number; skipped: number; failed: number };
}

const FIELD_FLAGS = {
  "name-sv": { type: "string" },
  "name-en": { type: "string" },
  "description-sv": { type: "string" },
  "description-en": { type: "string" },
  contact: { type: "string" },
  "team-address": { type: "string" },
} as const;

const FIELD_HELP = [
  "  --name-sv <text>, --name-en <text>                the mission's name in Swedish and English",
  "  --description-sv <text>, --description-en <text>  one or two sentences in each language",
  "  --contact <address>                               the team's shared inbox (a role address, shown publicly)",
  "  --team-address <address>                          optional: where replies to the mission's emails go (Reply-To);",
  "                                                    without one, replies go to the service's general address (REPLY_TO)",
].join("\n");

const describe = (m: Mission) =>
  `${m.id} (version ${m.version}, ${m.status}): ${m.name.en} / ${m.name.sv}, contact ${m.contact}, replies to ${m.teamAddress ?? "the general address"}`;
/** The team address to send: the flag's value, "" to remove it, or the current one when the flag is not given. */
const teamAddress = (flag: string | undefined, current?: string) => {
  const value = flag === undefined ? current : flag.trim();
  return value ? { teamAddress: value } : {};
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `mm missions list`: every mission, retired ones too, with the version an edit needs. */
export const missionsListCommand: Command = {
  name: "missions list",
  summary: "List the missions, retired ones included (staff API)",
  usage: "[--json] [--api <url>]",
  help: ["  --json             print the API's JSON instead of a table", API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, json: { type: "boolean" } });
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const { missions } = await api.get<{ missions: Mission[] }>("/api/staff/missions");
    if (values.json) return io.out(JSON.stringify(missions, null, 2));
    const width = Math.max(2, ...missions.map((m) => m.id.length));
    io.out(`${"id".padEnd(width)}  status   version  name (en)`);
    for (const m of missions) io.out(`${m.id.padEnd(width)}  ${m.status.padEnd(7)}  ${String(m.version).padEnd(7)}  ${m.name.en}`);
  },
};

/** `mm missions add`: adds an active mission, offered on the public pages at once. */
export const missionsAddCommand: Command = {
  name: "missions add",
  summary: "Add a mission: id, names and descriptions in sv and en, team contact",
  usage: "--id <kebab-case> --name-sv <text> --name-en <text> --description-sv <text> --description-en <text> --contact <address> [--team-address <address>] [--api <url>]",
  help: ["  --id <id>          permanent kebab-case id, used in links (e.g. circular-economy)", FIELD_HELP, API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, id: { type: "string" }, ...FIELD_FLAGS });
    const missing = (["id", ...Object.keys(FIELD_FLAGS).filter((k) => k !== "team-address")] as (keyof typeof values)[]).filter((k) => values[k] === undefined);
    if (missing.length) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(", ")}.`);
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const mission = await api.post<Mission>("/api/staff/missions", {
      id: values.id,
      name: { sv: values["name-sv"], en: values["name-en"] },
      description: { sv: values["description-sv"], en: values["description-en"] },
      contact: values.contact,
      ...teamAddress(values["team-address"]),
    });
    io.out(describe(mission));
  },
};

/** `mm missions edit <id>`: changes the given fields, on top of the version it reads first. */
export const missionsEditCommand: Command = {
  name: "missions edit",
  summary: "Change a mission's names, descriptions, contact or team address",
  usage: "<id> [--name-sv <text>] [--name-en <text>] [--description-sv <text>] [--description-en <text>] [--contact <address>] [--team-address <address>] [--api <url>]",
  help: [
    FIELD_HELP,
    "",
    'Only the fields given change; --team-address "" removes the team address. If someone else changed the mission meanwhile, nothing is stored (409).',
    API_HELP,
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, ...FIELD_FLAGS }, ["id"]);
    const id = positionals[0]!;
    if (Object.keys(FIELD_FLAGS).every((k) => values[k as keyof typeof FIELD_FLAGS] === undefined)) throw new UsageError("Give at least one field to change.");
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const current = await api.get<Mission>(`/api/staff/missions/${encodeURIComponent(id)}`);
    const mission = await api.put<Mission>(`/api/staff/missions/${encodeURIComponent(id)}`, {
      version: current.version,
      name: { sv: values["name-sv"] ?? current.name.sv, en: values["name-en"] ?? current.name.en },
      description: { sv: values["description-sv"] ?? current.description.sv, en: values["description-en"] ?? current.description.en },
      contact: values.contact ?? current.contact,
      ...teamAddress(values["team-address"], current.teamAddress),
    });
    io.out(describe(mission));
  },
};

/**
 * `mm missions retire <id> --yes [--follow]`: retires a mission. Its followers are each told once and
 * it leaves their choices; `--follow` shows that progress.
 */
export const missionsRetireCommand: Command = {
  name: "missions retire",
  summary: "Retire a mission: no longer offered; each follower is told once and it leaves their choices",
  usage: "<id> --yes [--follow] [--api <url>]",
  help: [
    "  --yes              required: retiring cannot be undone and emails every follower of the mission",
    "  --follow           wait until every follower has been told, with a progress bar",
    API_HELP,
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, yes: { type: "boolean" }, follow: { type: "boolean" } }, ["id"]);
    const id = positionals[0]!;
    if (!values.yes) throw new UsageError(`Retiring "${id}" cannot be undone: it is no longer offered and every follower is emailed. Add --yes to go ahead.`);
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const path = `/api/staff/missions/${encodeURIComponent(id)}`;
    const { mission } = await api.post<{ mission: Mission; campaign: string }>(`${path}/retire`);
    io.out(describe(mission));
    if (!values.follow) {
      io.err(`Its followers are being told; see progress with: mm missions retire ${id} --yes --follow (harmless to repeat).`);
      return;
    }
    const bar = progressBar("Telling followers", 0, "emails");
    let current: Mission;
    try {
      for (;;) {
        current = await api.get<Mission>(path);
        const r = current.retirement;
        if (r) bar.update(r.sent + r.skipped + r.failed, r.planned);
        if (r?.state === "done") break;
        await sleep(1000);
      }
    } finally {
      bar.stop();
    }
    const r = current.retirement!;
    io.err(`Done: ${r.planned} followers planned, ${r.sent} told, ${r.skipped} skipped, ${r.failed} failed.`);
  },
};
