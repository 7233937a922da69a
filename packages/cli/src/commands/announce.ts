import { readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import { API_FLAGS, API_HELP, staffApi, type StaffApi } from "../api-client";
import { progressBar } from "../progress";
import { UsageError, parseFlags, parseFlagsAndArguments, type CliIo, type Command } from "../router";

/** What the API answers about an announcement (the fields the CLI shows). */
interface AnnouncementStatus {
  id: string;
  state: "draft" | "scheduled" | "sending" | "paused" | "cancelled" | "done";
  title: { sv?: string; en?: string };
  missions: string[];
  languages: string[];
  scheduledFor?: string;
  pausedReason?: { code: string; message: string };
  counters: { audience: number; sent: number; failed: number; skipped: number; delivered: number; bounced: number; complained: number; unsubscribed: number };
  audienceIsEstimate: boolean;
  review?: Review;
}

interface Actor {
  sub: string;
  email?: string;
}

/** Where an announcement stands on the four-eyes rule (the API's `review`). */
interface Review {
  required: boolean;
  threshold: number;
  audience: number;
  author: Actor;
  approval?: { by: Actor; at: string };
  refusal?: { by: Actor; at: string; reason: string };
  next: "approval" | "edit" | "send" | "none";
}

/** The pre-send checks' report (the fields the CLI shows). */
interface ChecksReport {
  ok: boolean;
  errors: string[];
  warnings: string[];
  checks: { check: string; severity: "ok" | "info" | "warning" | "error"; language?: string; message: string; items?: string[] }[];
  audience: { sv: number; en: number; total: number };
  approval: Review;
}

const nameOf = (actor: Actor) => actor.email ?? actor.sub;

/** Who must act next, in a sentence. */
export function nextStep(review: Review): string {
  if (review.next === "approval") return `Waiting for approval by a publisher other than ${nameOf(review.author)} (${review.audience} recipients, more than ${review.threshold}).`;
  if (review.next === "edit") return `Refused by ${nameOf(review.refusal!.by)}: "${review.refusal!.reason}". ${nameOf(review.author)} edits it, or another publisher approves it.`;
  if (review.next === "send") return review.approval ? `Approved by ${nameOf(review.approval.by)}; a publisher may send it.` : `No approval needed (${review.audience} recipients, at most ${review.threshold}); a publisher may send it.`;
  return "";
}

const BASE = "/api/staff/announcements";
const path = (id: string, action = "") => `${BASE}/${encodeURIComponent(id)}${action ? `/${action}` : ""}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const apiFor = (values: { api?: string | undefined }) => staffApi(values.api ? { api: values.api } : {});
const titleOf = (a: Pick<AnnouncementStatus, "title">) => a.title.sv ?? a.title.en ?? "(untitled)";

/** The status as lines for people: title, state, why it is paused or when it is scheduled, the counters. */
function describe(a: AnnouncementStatus): string[] {
  const c = a.counters;
  const audience = a.audienceIsEstimate ? `audience about ${c.audience} today` : `audience ${c.audience}`;
  return [
    `${titleOf(a)} (${a.id})`,
    `State: ${a.state}${a.state === "scheduled" && a.scheduledFor ? ` for ${a.scheduledFor} Stockholm time` : ""}`,
    ...(a.pausedReason ? [`Paused: ${a.pausedReason.message}`] : []),
    `Missions: ${a.missions.join(", ")} · languages: ${a.languages.join(", ")}`,
    `${audience} · sent ${c.sent} · failed ${c.failed} · skipped ${c.skipped} · delivered ${c.delivered} · bounced ${c.bounced} · complained ${c.complained} · unsubscribed ${c.unsubscribed}`,
    ...(a.review && (a.review.next === "approval" || a.review.next === "edit") ? [nextStep(a.review)] : []),
  ];
}

/** A markdown file whose first line is `# Title`: the title and the body after it. */
function readMarkdown(file: string, flag: string): { title: string; body: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`${flag} "${file}" cannot be read: ${(err as Error).message}`);
  }
  const match = /^\uFEFF?\s*#\s+(.+)\r?\n([\s\S]*)$/.exec(text);
  if (!match) throw new UsageError(`${flag} "${file}" must start with a "# Title" line, followed by the markdown body.`);
  return { title: match[1]!.trim(), body: match[2]!.trim() };
}

function readJson(file: string): Record<string, unknown> {
  if (extname(file).toLowerCase() === ".md") throw new UsageError(`--file takes a JSON draft; give markdown with --sv ${file} or --en ${file}.`);
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--file "${file}" is not a JSON draft: ${(err as Error).message}`);
  }
}

const CREATE_FLAGS = {
  ...API_FLAGS,
  file: { type: "string" },
  sv: { type: "string" },
  en: { type: "string" },
  "title-sv": { type: "string" },
  "title-en": { type: "string" },
  "body-sv": { type: "string" },
  "body-en": { type: "string" },
  mission: { type: "string", multiple: true },
  "event-date": { type: "string" },
  "event-time": { type: "string" },
  "event-place": { type: "string" },
  "cta-url": { type: "string" },
  "cta-label-sv": { type: "string" },
  "cta-label-en": { type: "string" },
} as const;

/** The draft a create command describes: a JSON file, markdown files per language, and flags on top. */
export function draftFromFlags(values: Partial<Record<keyof typeof CREATE_FLAGS, string | string[] | undefined>>): Record<string, unknown> {
  const draft: Record<string, any> = values.file ? readJson(values.file as string) : {};
  const title: Record<string, string> = { ...(draft.title ?? {}) };
  const body: Record<string, string> = { ...(draft.body ?? {}) };
  for (const lang of ["sv", "en"] as const) {
    const file = values[lang] as string | undefined;
    if (file) {
      const markdown = readMarkdown(file, `--${lang}`);
      title[lang] = markdown.title;
      body[lang] = markdown.body;
    }
    if (values[`title-${lang}`] !== undefined) title[lang] = values[`title-${lang}`] as string;
    if (values[`body-${lang}`] !== undefined) body[lang] = values[`body-${lang}`] as string;
  }
  draft.title = title;
  draft.body = body;
  if (values.mission) draft.missions = values.mission;
  if (values["event-date"] || values["event-time"] || values["event-place"]) {
    draft.event = { ...(draft.event ?? {}) };
    if (values["event-date"]) draft.event.date = values["event-date"];
    if (values["event-time"]) draft.event.time = values["event-time"];
    if (values["event-place"]) draft.event.place = values["event-place"];
  }
  if (values["cta-url"] || values["cta-label-sv"] || values["cta-label-en"]) {
    draft.cta = { ...(draft.cta ?? {}), label: { ...(draft.cta?.label ?? {}) } };
    if (values["cta-url"]) draft.cta.url = values["cta-url"];
    if (values["cta-label-sv"]) draft.cta.label.sv = values["cta-label-sv"];
    if (values["cta-label-en"]) draft.cta.label.en = values["cta-label-en"];
  }
  if (!Object.keys(title).length) throw new UsageError("Give the announcement a title and body: --sv <file.md>, --en <file.md>, --title-sv/--body-sv, --title-en/--body-en or --file <draft.json>.");
  if (!draft.missions) throw new UsageError("--mission <id> is required (repeat it for several missions).");
  return draft;
}

/** `mm announce create`: a draft from flags, markdown files or a JSON file; prints its id. */
export const announceCreateCommand: Command = {
  name: "announce create",
  summary: "Create a draft announcement (staff API) from flags, markdown files or a JSON file; prints its id",
  usage: "--mission <id>… (--sv <file.md> | --en <file.md> | --title-sv … --body-sv … | --file <draft.json>) [event and button flags] [--api <url>]",
  help: [
    "  --mission <id>       a mission whose news followers get it; repeat for several",
    "  --sv <file.md>       the Swedish version: a markdown file whose first line is \"# Title\"",
    "  --en <file.md>       the English version, likewise (either language alone is fine)",
    "  --title-sv, --body-sv, --title-en, --body-en <text>   the same as text",
    "  --file <draft.json>  the whole draft as the API takes it: { title, body, missions, event?, cta? }",
    "  --event-date <YYYY-MM-DD> [--event-time <HH:MM>] [--event-place <text>]   an event, in Stockholm time",
    "  --cta-url <https://…> --cta-label-sv <text> --cta-label-en <text>        a button",
    API_HELP,
  ].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, CREATE_FLAGS);
    const draft = draftFromFlags(values);
    const api = await apiFor(values);
    const created = await api.post<AnnouncementStatus>(BASE, draft);
    io.out(created.id);
    io.err(`Draft created as ${api.signedInAs}: ${titleOf(created)} (${created.languages.join(", ")}) for ${created.missions.join(", ")}.`);
    io.err(`Preview it with: mm announce preview ${created.id} --lang ${created.languages[0]}`);
  },
};

/** `mm announce list`: the latest announcements, newest first. */
export const announceListCommand: Command = {
  name: "announce list",
  summary: "List announcements, newest first, with their state (staff API)",
  usage: "[--limit 20] [--api <url>]",
  help: ["  --limit <n>        how many (1 to 50, default 20)", API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, limit: { type: "string" } });
    const api = await apiFor(values);
    const page = await api.get<{ announcements: AnnouncementStatus[] }>(BASE, { limit: values.limit });
    if (!page.announcements.length) io.err("No announcements yet.");
    for (const a of page.announcements) io.out(`${a.id}  ${a.state.padEnd(9)}  ${titleOf(a)}`);
  },
};

/** `mm announce preview <id>`: the text part on stdout, or the HTML into a file. */
export const announcePreviewCommand: Command = {
  name: "announce preview",
  summary: "Show an announcement as a reader of a language gets it: the text part, or the HTML into a file",
  usage: "<id> [--lang sv|en] [--out <file.html>] [--api <url>]",
  help: ["  --lang <sv|en>     whose email to show (default: the announcement's first language)", "  --out <file>       write the HTML there instead of printing the text part", API_HELP].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, lang: { type: "string" }, out: { type: "string" } }, ["id"]);
    if (values.lang !== undefined && values.lang !== "sv" && values.lang !== "en") throw new UsageError(`--lang "${values.lang}" is not sv or en.`);
    const api = await apiFor(values);
    const preview = await api.get<{ subject: string; html: string; text: string; fallback: boolean; language: string; contentLanguage: string }>(path(positionals[0]!, "preview"), { lang: values.lang });
    const note = preview.fallback ? ` (in ${preview.contentLanguage}: the announcement has no ${preview.language} version)` : "";
    if (values.out) {
      writeFileSync(values.out, preview.html);
      io.err(`Wrote the ${preview.language} HTML (${Buffer.byteLength(preview.html)} bytes) to ${values.out}${note}. Subject: ${preview.subject}`);
      return;
    }
    io.err(`Subject: ${preview.subject}${note}`);
    io.out(preview.text);
  },
};

/** `mm announce test <id> --to <address>…`: a marked test to at most ten addresses. */
export const announceTestCommand: Command = {
  name: "announce test",
  summary: "Send a marked test of an announcement to up to 10 addresses (staff API)",
  usage: "<id> --to <address>… [--lang sv|en]… [--api <url>]",
  help: ["  --to <address>     a recipient; repeat for several (at most 10)", "  --lang <sv|en>     a language to send; repeat for both (default: every language it has)", API_HELP].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, to: { type: "string", multiple: true }, lang: { type: "string", multiple: true } }, ["id"]);
    if (!values.to?.length) throw new UsageError("--to <address> is required.");
    const api = await apiFor(values);
    const result = await api.post<{ sent: number; suppressed: number; failed: number; languages: string[] }>(path(positionals[0]!, "test"), { to: values.to, ...(values.lang ? { languages: values.lang } : {}) });
    io.err(`Sent ${result.sent} test email${result.sent === 1 ? "" : "s"} (${result.languages.join(", ")})${result.suppressed ? `; ${result.suppressed} address(es) left out: suppressed after a bounce or complaint` : ""}${result.failed ? `; ${result.failed} refused by the email service` : ""}.`);
  },
};

/** Polls an announcement until it is done, cancelled or paused, with a progress bar on a terminal. */
async function follow(api: StaffApi, id: string, intervalSeconds: number, io: CliIo): Promise<AnnouncementStatus> {
  const bar = progressBar("Sending", 0, "emails");
  let status: AnnouncementStatus;
  try {
    for (;;) {
      status = await api.get<AnnouncementStatus>(path(id));
      const c = status.counters;
      bar.update(Math.min(c.audience, c.sent + c.failed + c.skipped), c.audience);
      if (status.state === "done" || status.state === "cancelled" || status.state === "paused" || status.state === "draft") break;
      await sleep(intervalSeconds * 1000);
    }
  } finally {
    bar.stop();
  }
  if (status.state === "paused") io.err("The send is paused; resume it with: mm announce resume " + id);
  return status;
}

function intervalOf(text: string | undefined): number {
  const interval = text === undefined ? 1 : Number(text);
  if (!(interval >= 0.1 && interval <= 60)) throw new UsageError("--interval must be a number of seconds from 0.1 to 60.");
  return interval;
}

/** `mm announce send <id> [--at <Stockholm time>]`: sends now or schedules. */
export const announceSendCommand: Command = {
  name: "announce send",
  summary: "Send an announcement now, or schedule it for a Stockholm time (staff API); --follow shows progress",
  usage: "<id> [--at 2026-12-01T09:00] [--acknowledge-warnings] [--follow] [--api <url>]",
  help: [
    "  --at <time>        a wall-clock time in Europe/Stockholm, e.g. 2026-12-01T09:00; without it, now",
    "  --acknowledge-warnings   go ahead although the pre-send checks warn (see mm announce checks <id>)",
    "  --follow           wait while it sends, with a progress bar, then print the counts",
    "  --interval <s>     seconds between polls with --follow (default 1)",
    API_HELP,
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, at: { type: "string" }, "acknowledge-warnings": { type: "boolean" }, follow: { type: "boolean" }, interval: { type: "string" } }, ["id"]);
    const interval = intervalOf(values.interval);
    const api = await apiFor(values);
    const id = positionals[0]!;
    let status = await api.post<AnnouncementStatus>(path(id, "send"), { ...(values.at ? { at: values.at } : {}), ...(values["acknowledge-warnings"] ? { acknowledgeWarnings: true } : {}) });
    if (status.state === "scheduled") {
      io.err(`Scheduled for ${status.scheduledFor} Stockholm time (${status.counters.audience} followers today).`);
    } else if (values.follow && status.state === "sending") {
      status = await follow(api, id, interval, io);
    }
    for (const line of describe(status)) io.out(line);
  },
};

/** `mm announce status <id> [--follow]`: state and counters, following a send with a progress bar. */
export const announceStatusCommand: Command = {
  name: "announce status",
  summary: "Show an announcement's state and counts (staff API); --follow shows a progress bar until it is sent",
  usage: "<id> [--follow] [--interval 1] [--api <url>]",
  help: ["  --follow           follow a send until it is done, cancelled or paused", "  --interval <s>     seconds between polls with --follow (default 1)", API_HELP].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, follow: { type: "boolean" }, interval: { type: "string" } }, ["id"]);
    const interval = intervalOf(values.interval);
    const api = await apiFor(values);
    const id = positionals[0]!;
    let status = await api.get<AnnouncementStatus>(path(id));
    if (values.follow && status.state === "sending") status = await follow(api, id, interval, io);
    for (const line of describe(status)) io.out(line);
  },
};

/** One of the control commands: pause, resume, cancel. */
function controlCommand(action: "pause" | "resume" | "cancel", summary: string): Command {
  return {
    name: `announce ${action}`,
    summary,
    usage: "<id> [--api <url>]",
    help: API_HELP,
    async run(args, io) {
      const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS }, ["id"]);
      const api = await apiFor(values);
      const status = await api.post<AnnouncementStatus>(path(positionals[0]!, action));
      for (const line of describe(status)) io.out(line);
    },
  };
}

export const announcePauseCommand = controlCommand("pause", "Pause an announcement that is sending; nothing more goes out until it is resumed (staff API)");
export const announceResumeCommand = controlCommand("resume", "Resume a paused announcement (staff API)");
export const announceCancelCommand = controlCommand("cancel", "Cancel a draft, a scheduled send or the rest of a send (staff API)");

/** `mm announce checks <id>`: the pre-send checks, one line each; exits 1 when a check finds an error. */
export const announceChecksCommand: Command = {
  name: "announce checks",
  summary: "Run the pre-send checks on an announcement: size, subject, images, links, languages, audience (staff API)",
  usage: "<id> [--api <url>]",
  help: ["Errors block a send; warnings need --acknowledge-warnings on mm announce send.", API_HELP].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS }, ["id"]);
    const api = await apiFor(values);
    const report = await api.post<ChecksReport>(path(positionals[0]!, "checks"));
    for (const c of report.checks) io.out(`${c.severity.toUpperCase().padEnd(7)}  ${c.check.padEnd(17)}  ${c.language ?? "  "}  ${c.message}`);
    io.out(`Audience: ${report.audience.total} (sv ${report.audience.sv}, en ${report.audience.en})`);
    const next = nextStep(report.approval);
    if (next) io.out(next);
    if (!report.ok) throw new Error(`errors in ${report.errors.join(", ")}: fix them before sending.`);
    if (report.warnings.length) io.err(`Warnings in: ${report.warnings.join(", ")}. Send with --acknowledge-warnings once you have read them.`);
  },
};

/** `mm announce approve <id>` and `mm announce refuse <id> --reason …`: a publisher's decision on a draft. */
export const announceApproveCommand: Command = {
  name: "announce approve",
  summary: "Approve a draft as a publisher other than its last editor, so it may be sent above the threshold (staff API)",
  usage: "<id> [--api <url>]",
  help: API_HELP,
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS }, ["id"]);
    const api = await apiFor(values);
    const status = await api.post<AnnouncementStatus>(path(positionals[0]!, "approve"), {});
    io.err(`Approved as ${api.signedInAs}.`);
    for (const line of describe(status)) io.out(line);
  },
};

export const announceRefuseCommand: Command = {
  name: "announce refuse",
  summary: "Refuse a draft as a publisher other than its last editor, saying why (staff API)",
  usage: "<id> --reason <text> [--api <url>]",
  help: ["  --reason <text>    why, for the author (required)", API_HELP].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, reason: { type: "string" } }, ["id"]);
    if (!values.reason?.trim()) throw new UsageError("--reason <text> is required: say what to change.");
    const api = await apiFor(values);
    const status = await api.post<AnnouncementStatus>(path(positionals[0]!, "refuse"), { reason: values.reason });
    io.err(`Refused as ${api.signedInAs}.`);
    for (const line of describe(status)) io.out(line);
  },
};

/** Every `announce` command, for mm.ts. */
export const ANNOUNCE_COMMANDS: Command[] = [
  announceCreateCommand,
  announceListCommand,
  announcePreviewCommand,
  announceTestCommand,
  announceChecksCommand,
  announceApproveCommand,
  announceRefuseCommand,
  announceSendCommand,
  announceStatusCommand,
  announcePauseCommand,
  announceResumeCommand,
  announceCancelCommand,
];
