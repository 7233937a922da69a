import { API_FLAGS, API_HELP, staffApi } from "../api-client";
import { parseFlags, type Command } from "../router";

type Status = "ok" | "warning" | "over";

interface RateFigure {
  count: number;
  rate: number | null;
  status: Status;
  overAutoPause: boolean;
}

/** The part of `GET /api/staff/health` the table prints. */
export interface HealthAnswer {
  generatedAt: string;
  status: Status;
  thresholds: {
    complaints: { aim: number; limit: number; autoPause: number };
    bounces: { aim: number; limit: number; autoPause: number; sesSuspension: number };
    approval: number;
  };
  windows: {
    days: number;
    from: string;
    to: string;
    sent: number;
    complaints: RateFigure;
    bounces: RateFigure;
    softBounces: number;
    suppressions: { hardBounce: number; softBounces: number; complaint: number; total: number };
    status: Status;
  }[];
  deadLetters: { queue: string; messages: number | null; status: Status; error?: string }[];
  digestRuns: { period: string; cadence: string; state: string; sent: number; failed: number; createdAt: string; status: Status; error?: string }[];
  approvals: { waiting: { id: string; title: string; author: string; waitingSince: string; audienceEstimate: number; status: Status }[]; status: Status };
}

/** A status in words, so it reads without colour. */
export const STATUS_WORDS: Record<Status, string> = { ok: "ok", warning: "WARNING", over: "OVER LIMIT" };

const percent = (rate: number | null) => (rate === null ? "–" : `${(rate * 100).toFixed(2)}%`);

/** Rows as a table: the first column left-aligned, the rest right-aligned unless `left` says otherwise. */
export function table(header: string[], rows: string[][], left: number[] = [0]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: string[]) => cells.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)];
}

/** The health figures as readable tables, each with its status in words. */
export function healthReport(h: HealthAnswer): string[] {
  const t = h.thresholds;
  const rate = (f: RateFigure) => `${f.count} (${percent(f.rate)})${f.overAutoPause ? " *" : ""}`;
  const out = [`Service health: ${STATUS_WORDS[h.status]}  (${h.generatedAt})`, ""];
  out.push(
    `Rates per email sent. Complaints: aim under ${percent(t.complaints.aim)}, limit ${percent(t.complaints.limit)} (Gmail, Yahoo). ` +
      `Hard bounces: aim under ${percent(t.bounces.aim)}, limit ${percent(t.bounces.limit)} (SES review; SES may pause sending at ${percent(t.bounces.sesSuspension)}).`,
    `* above the automatic pause of announcements (complaints ${percent(t.complaints.autoPause)}, bounces ${percent(t.bounces.autoPause)}).`,
    "",
  );
  out.push(
    ...table(
      ["window", "sent", "complaints", "status", "hard bounces", "status", "soft bounces"],
      h.windows.map((w) => [`${w.days} days (${w.from} – ${w.to})`, String(w.sent), rate(w.complaints), STATUS_WORDS[w.complaints.status], rate(w.bounces), STATUS_WORDS[w.bounces.status], String(w.softBounces)]),
      [0, 3, 5],
    ),
    "",
  );
  out.push(
    "Suppressed addresses, by reason",
    ...table(
      ["window", "hard bounce", "soft bounces", "complaint", "total"],
      h.windows.map((w) => [`${w.days} days`, String(w.suppressions.hardBounce), String(w.suppressions.softBounces), String(w.suppressions.complaint), String(w.suppressions.total)]),
    ),
    "",
  );
  out.push(
    "Dead-letter queues",
    ...table(
      ["queue", "messages", "status"],
      h.deadLetters.map((d) => [d.queue, d.messages === null ? `unreadable: ${d.error ?? "?"}` : String(d.messages), STATUS_WORDS[d.status]]),
      [0, 2],
    ),
    "",
  );
  out.push("Latest digest runs");
  if (!h.digestRuns.length) out.push("  none yet");
  else
    out.push(
      ...table(
        ["period", "cadence", "state", "sent", "failed", "started", "status"],
        h.digestRuns.map((r) => [r.period, r.cadence, r.error ? `${r.state}: ${r.error}` : r.state, String(r.sent), String(r.failed), r.createdAt.slice(0, 16).replace("T", " "), STATUS_WORDS[r.status]]),
        [0, 1, 2, 6],
      ),
    );
  out.push("", `Announcements waiting for approval (more than ${t.approval} recipients): ${STATUS_WORDS[h.approvals.status]}`);
  if (!h.approvals.waiting.length) out.push("  none");
  else
    out.push(
      ...table(
        ["title", "author", "since", "audience (estimate)", "status"],
        h.approvals.waiting.map((a) => [a.title, a.author, a.waitingSince.slice(0, 16).replace("T", " "), String(a.audienceEstimate), STATUS_WORDS[a.status]]),
        [0, 1, 2, 4],
      ),
    );
  return out;
}

/**
 * `mm health [--json]`: the service's health as the console's health view shows it: complaint and
 * bounce rates over 7 and 30 days against their thresholds, suppressions by reason, dead-letter queue
 * depths, the latest digest runs and announcements waiting for approval, each with its status in
 * words. Reads `GET /api/staff/health`.
 */
export const healthCommand: Command = {
  name: "health",
  summary: "Complaint and bounce rates against their limits, suppressions, dead letters, digest runs and approvals (staff API)",
  usage: "[--json] [--api <url>]",
  help: ["  --json             print the API's answer as JSON", API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, json: { type: "boolean" } });
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const answer = await api.get<HealthAnswer>("/api/staff/health");
    if (values.json) return io.out(JSON.stringify(answer, null, 2));
    for (const line of healthReport(answer)) io.out(line);
  },
};
