import { API_FLAGS, API_HELP, staffApi } from "../api-client";
import { progressBar } from "../progress";
import { UsageError, parseFlags, parseFlagsAndArguments, type Command } from "../router";

interface RunStatus {
  runId: string;
  campaign: string;
  period: string;
  state: "queued" | "planning" | "failed" | "sending" | "paused" | "cancelled" | "done";
  planned: number;
  sent: number;
  skipped: number;
  failed: number;
  error?: string;
  pausedReason?: { code: string; message: string };
}

/** What resuming or cancelling a run answers: its state, and how much was still to send. */
interface RunControlOutcome extends RunStatus {
  unsentBatches: number;
  unsentRecipients: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `mm digest run --cadence daily|weekly|monthly [--follow]`: plans the current period's digest now, through
 * `POST /api/staff/digests/run`, and prints the run id. With `--follow` it polls the run, with a
 * progress bar on a terminal, until it is done, and prints the counts; a failed run exits 1.
 */
export const digestRunCommand: Command = {
  name: "digest run",
  summary: "Plan this period's daily, weekly or monthly digest now (staff API); --follow shows progress",
  usage: "--cadence daily|weekly|monthly [--follow] [--api <url>]",
  help: [
    "  --cadence <c>      daily, weekly or monthly: the current day, ISO week or month is planned",
    "  --follow           wait for the run to finish, with a progress bar, and print the counts",
    "  --interval <s>     seconds between polls with --follow (default 1)",
    API_HELP,
  ].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, cadence: { type: "string" }, follow: { type: "boolean" }, interval: { type: "string" } });
    if (values.cadence !== "daily" && values.cadence !== "weekly" && values.cadence !== "monthly") {
      throw new UsageError(values.cadence ? `--cadence "${values.cadence}" is not daily, weekly or monthly.` : "--cadence daily|weekly|monthly is required.");
    }
    const interval = values.interval === undefined ? 1 : Number(values.interval);
    if (!(interval > 0 && interval <= 60)) throw new UsageError("--interval must be a number of seconds from 0.1 to 60.");
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const started = await api.post<{ runId: string; campaign: string }>("/api/staff/digests/run", { cadence: values.cadence });
    io.out(started.runId);
    io.err(`Digest run ${started.runId} queued (${started.campaign}).`);
    if (!values.follow) {
      io.err(`Its progress: GET ${api.baseUrl}/api/staff/runs/${started.runId} (or run with --follow next time).`);
      return;
    }
    const bar = progressBar("Sending", 0, "emails");
    let status: RunStatus;
    try {
      for (;;) {
        status = await api.get<RunStatus>(`/api/staff/runs/${encodeURIComponent(started.runId)}`);
        // `skipped` also counts people whose digest was empty, who are not among the planned: cap at the total.
        bar.update(Math.min(status.planned, status.sent + status.failed + status.skipped), status.planned);
        if (status.state === "done" || status.state === "failed" || status.state === "cancelled" || status.state === "paused") break;
        await sleep(interval * 1000);
      }
    } finally {
      bar.stop();
    }
    const summary = `${status.period}: ${status.planned} planned, ${status.sent} sent, ${status.skipped} skipped, ${status.failed} failed`;
    if (status.state === "failed") throw new Error(`The run failed: ${status.error ?? "no reason given"} (${summary}).`);
    if (status.state === "paused") {
      throw new Error(`The run is paused (${summary}): ${status.pausedReason?.message ?? "no reason given"} A publisher resumes it with: mm digest resume ${started.runId} (or cancels the rest with mm digest cancel ${started.runId}).`);
    }
    io.err(status.state === "cancelled" ? `Cancelled. ${summary}.` : `Done. ${summary}.`);
  },
};

/** `mm digest resume|cancel <run-id>`: a publisher resumes a paused digest run, or cancels the rest of one. */
function runControlCommand(action: "resume" | "cancel", summary: string, help: string): Command {
  return {
    name: `digest ${action}`,
    summary,
    usage: "<run-id> [--api <url>]",
    help: [help, API_HELP].join("\n"),
    async run(args, io) {
      const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS }, ["run-id"]);
      const api = await staffApi(values.api ? { api: values.api } : {});
      const r = await api.post<RunControlOutcome>(`/api/staff/runs/${encodeURIComponent(positionals[0]!)}/${action}`);
      io.out(`${r.runId} ${r.state}`);
      const still = `${r.unsentRecipients} recipients in ${r.unsentBatches} batches`;
      io.err(action === "resume" ? `Resumed ${r.period}: ${still} are being sent; ${r.sent} were sent before.` : `Cancelled ${r.period}: ${still} will not get it (counted as skipped); ${r.sent} were sent.`);
    },
  };
}

export const digestResumeCommand = runControlCommand(
  "resume",
  "Resume a paused digest run: send the batches not yet sent, each recipient at most once (publisher, staff API)",
  "A digest pauses by itself when complaints or hard bounces pass the limit (mm digest run --follow and GET /api/staff/runs/<id> say why).",
);
export const digestCancelCommand = runControlCommand(
  "cancel",
  "Cancel the rest of a paused or sending digest run: its unsent recipients are skipped (publisher, staff API)",
  "Nothing more of the run goes out; the recipients not yet sent to are counted as skipped.",
);
