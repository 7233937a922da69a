import { API_FLAGS, API_HELP, staffApi } from "../api-client";
import { progressBar } from "../progress";
import { UsageError, parseFlags, type Command } from "../router";

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
    if (status.state === "paused") throw new Error(`The run's campaign is paused (${summary}); its progress stays at GET ${api.baseUrl}/api/staff/runs/${started.runId}.`);
    io.err(status.state === "cancelled" ? `Cancelled. ${summary}.` : `Done. ${summary}.`);
  },
};
