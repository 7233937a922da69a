import { API_FLAGS, API_HELP, staffApi } from "../api-client";
import { UsageError, parseFlags, type Command } from "../router";

interface MissionChart {
  id: string;
  name: { sv: string; en: string };
  status: "active" | "retired";
  subscribers: number;
  totals: Record<"joined" | "left" | "sent" | "bounced" | "complained" | "unsubscribed", number>;
  series: { day: string; subscribers: number }[];
}

/** The last retention sweep, as the stats API answers it (docs/retention.md). */
interface RetentionReport {
  at: string;
  counts: Record<string, number>;
  more: string[];
}

/** The retention categories in the order and words `mm stats` prints them. */
const RETENTION_LINES: [string, string][] = [
  ["pendingSignUps", "unconfirmed sign-ups removed"],
  ["unsubscribedErased", "unsubscribed people erased"],
  ["deliveriesDeleted", "delivery history entries deleted"],
  ["batchesCompacted", "send batches compacted to counters"],
  ["auditPseudonymised", "audit entries pseudonymised"],
];

/** The last retention sweep as lines: when, a count per category, and what it left for the next run. */
export function retentionLines(report: RetentionReport | null | undefined): string[] {
  if (!report) return ["Retention: the daily sweep has not run yet."];
  const width = Math.max(...RETENTION_LINES.map(([k]) => String(report.counts[k] ?? 0).length));
  return [
    `Retention, last sweep ${report.at}:`,
    ...RETENTION_LINES.map(([k, words]) => `  ${String(report.counts[k] ?? 0).padStart(width)}  ${words}`),
    ...(report.more.length ? [`  work left for the next sweep: ${report.more.join(", ")}`] : []),
  ];
}

const BARS = "▁▂▃▄▅▆▇█";

/** The subscriber curve as one line of block characters, low to high. */
export function sparkline(values: number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.map((v) => BARS[max === min ? 0 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))]).join("");
}

/** A percentage of `part` in `whole`, or a dash when there is nothing to divide by. */
const rate = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(2)}%` : "–");

/**
 * `mm stats [--days 30] [--mission id ...] [--json]`: per mission, subscribers now with their curve
 * over the window, and what the window held: joins, leaves, unsubscribes, emails sent, bounces and
 * complaints with their rates; then the last retention sweep's counts per category. Reads
 * `GET /api/staff/stats`.
 */
export const statsCommand: Command = {
  name: "stats",
  summary: "Per-mission subscribers, sends, bounces, complaints and unsubscribes over the last days (staff API)",
  usage: "[--days 30] [--mission <id>]... [--json] [--api <url>]",
  help: ["  --days <n>         how many days back, today included (1–366, default 30)", "  --mission <id>     only this mission (repeatable)", "  --json             print the API's answer as JSON", API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, days: { type: "string" }, mission: { type: "string", multiple: true }, json: { type: "boolean" } });
    const days = values.days === undefined ? 30 : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError("--days must be a whole number from 1 to 366.");
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const missions = (values.mission as string[] | undefined) ?? [];
    const answer = await api.get<{ from: string; to: string; missions: MissionChart[]; retention?: RetentionReport | null }>("/api/staff/stats", { days: String(days), ...(missions.length ? { missions: missions.join(",") } : {}) });
    if (values.json) return io.out(JSON.stringify(answer, null, 2));
    io.out(`Missions, ${answer.from} – ${answer.to} (Stockholm days)\n`);
    const header = ["mission", "subscribers", `last ${days} days`, "joined", "left", "unsubscribed", "sent", "bounced", "complained"];
    const rows = answer.missions.map((m) => [
      `${m.id}${m.status === "retired" ? " (retired)" : ""}`,
      String(m.subscribers),
      sparkline(m.series.map((d) => d.subscribers)),
      String(m.totals.joined),
      String(m.totals.left),
      String(m.totals.unsubscribed),
      String(m.totals.sent),
      `${m.totals.bounced} (${rate(m.totals.bounced, m.totals.sent)})`,
      `${m.totals.complained} (${rate(m.totals.complained, m.totals.sent)})`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    io.out(line(header));
    io.out(widths.map((w) => "─".repeat(w)).join("  "));
    for (const r of rows) io.out(line(r));
    io.out("");
    for (const l of retentionLines(answer.retention)) io.out(l);
  },
};
