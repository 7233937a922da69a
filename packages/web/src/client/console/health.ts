import type { Chart as ChartType, ChartConfiguration } from "chart.js";
import { ID } from "../../console-contract";
import type { DeadLetterName } from "../../core";
import { byId, fill, h } from "../dom";
import { api, failed } from "./api";
import { badge } from "./badge";
import { dateTime, number, percent, shortDay, T } from "./context";

type Status = "ok" | "warning" | "over";

interface RateFigure {
  count: number;
  rate: number | null;
  status: Status;
  overAutoPause: boolean;
}

interface Health {
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
  daily: { day: string; sent: number; complaints: number; bounces: number; complaintRate: number | null; bounceRate: number | null }[];
  deadLetters: { queue: DeadLetterName; messages: number | null; status: Status }[];
  digestRuns: { runId: string; period: string; cadence: string; state: string; sent: number; failed: number; createdAt: string; status: Status; error?: string }[];
  approvals: { waiting: { id: string; title: string; author: string; waitingSince: string; audienceEstimate: number; status: Status }[]; status: Status };
}

const H = () => T.health;
const SYMBOL: Record<Status, string> = { ok: "✓", warning: "!", over: "✕" };

/** A status in colour, with a symbol and its name in words: never colour alone. */
function status(s: Status) {
  return h("span", { className: `health-status health-${s}`, "data-status": s }, [h("span", { "aria-hidden": "true", text: `${SYMBOL[s]} ` }), H().statuses[s]]);
}

const section = (id: string, title: string, children: (Node | null)[]) => h("section", { className: "health-section", "aria-labelledby": id }, [h("h3", { id, text: title }), ...children]);

function dataTable(caption: string, columns: { key: string; label: string; num?: boolean }[], rows: Record<string, Node | string>[], attrs: Record<string, string> = {}) {
  return h("div", { className: "card table-wrap" }, [
    h("table", { className: "data", ...attrs }, [
      h("caption", { text: caption }),
      h("thead", {}, [h("tr", {}, columns.map((c) => h("th", { scope: "col", className: c.num ? "num" : "", text: c.label })))]),
      h(
        "tbody",
        {},
        rows.map((r) => h("tr", {}, columns.map((c, i) => (i === 0 ? h("th", { scope: "row" }, [r[c.key] ?? ""]) : h("td", { className: c.num ? "num" : "" }, [r[c.key] ?? ""]))))),
      ),
    ]),
  ]);
}

/** One rate as a figure: the percentage, its status in words, and the count against the aim and limit. */
function rateFigure(label: string, f: RateFigure, sent: number, limits: { aim: number; limit: number; autoPause: number }) {
  const notes = [f.rate === null ? H().noneSent : fill(H().rateNote, { count: number(f.count), sent: number(sent), aim: percent(limits.aim), limit: percent(limits.limit) })];
  if (f.overAutoPause) notes.push(fill(H().overAutoPause, { limit: percent(limits.autoPause) }));
  return h("div", { className: `summary-figure health-figure health-${f.status}` }, [
    h("dt", { text: label }),
    h("dd", {}, [h("strong", { text: f.rate === null ? "–" : percent(f.rate) }), status(f.status), ...notes.map((n) => h("span", { text: n }))]),
  ]);
}

function rates(data: Health) {
  const t = data.thresholds;
  const intro = fill(H().ratesIntro, {
    complaintAim: percent(t.complaints.aim),
    complaintLimit: percent(t.complaints.limit),
    bounceAim: percent(t.bounces.aim),
    bounceLimit: percent(t.bounces.limit),
    bounceSuspension: percent(t.bounces.sesSuspension),
    autoComplaint: percent(t.complaints.autoPause),
    autoBounce: percent(t.bounces.autoPause),
  });
  const windows = data.windows.map((w) => {
    const id = `health-window-${w.days}`;
    return h("section", { className: "health-window", "aria-labelledby": id, "data-window": String(w.days) }, [
      h("h4", { id }, [fill(H().windowTitle, { days: w.days }), " ", status(w.status)]),
      h("dl", { className: "summary-figures" }, [
        h("div", { className: "summary-figure" }, [h("dt", { text: H().sent }), h("dd", {}, [h("strong", { text: number(w.sent) }), h("span", { text: fill(H().sentNote, { from: w.from, to: w.to }) }), h("span", { text: fill(H().softBounces, { count: number(w.softBounces) }) })])]),
        rateFigure(H().complaintRate, w.complaints, w.sent, t.complaints),
        rateFigure(H().bounceRate, w.bounces, w.sent, t.bounces),
      ]),
    ]);
  });
  return section("health-rates-title", H().ratesTitle, [h("p", { className: "view-intro", text: intro }), ...windows]);
}

let chart: ChartType | undefined;

/** Percent per day (null where nothing was sent), and the thresholds as flat dashed lines. */
function chartConfig(data: Health): ChartConfiguration<"line"> {
  const t = data.thresholds;
  const pct = (r: number | null) => (r === null ? null : r * 100);
  const flat = (value: number) => data.daily.map(() => value * 100);
  const L = H().chartLines;
  const line = (label: string, values: (number | null)[], axis: "y" | "y1", color: string, dash: number[], width = 2) => ({
    label,
    data: values,
    yAxisID: axis,
    borderColor: color,
    backgroundColor: color,
    borderDash: dash,
    borderWidth: width,
    pointRadius: dash.length ? 0 : 2,
    spanGaps: false,
    tension: 0.2,
  });
  return {
    type: "line",
    data: {
      labels: data.daily.map((d) => shortDay(d.day)),
      datasets: [
        line(L.complaintRate, data.daily.map((d) => pct(d.complaintRate)), "y", "#b3261e", [], 3),
        line(L.bounceRate, data.daily.map((d) => pct(d.bounceRate)), "y1", "#0b4f8a", [], 3),
        line(`${L.complaintAim} (${percent(t.complaints.aim)})`, flat(t.complaints.aim), "y", "#6b4500", [4, 4], 1),
        line(`${L.complaintLimit} (${percent(t.complaints.limit)})`, flat(t.complaints.limit), "y", "#b3261e", [10, 5], 1),
        line(`${L.bounceLimit} (${percent(t.bounces.limit)})`, flat(t.bounces.limit), "y1", "#0b4f8a", [10, 5], 1),
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { beginAtZero: true, position: "left", title: { display: true, text: H().complaintAxis }, ticks: { callback: (v) => `${v}%` } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: H().bounceAxis }, ticks: { callback: (v) => `${v}%` } },
        x: { ticks: { maxRotation: 0, autoSkipPadding: 16 } },
      },
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8 } } },
    },
  };
}

/** The 30 days as a chart (a text summary is its label) and the same numbers as a table. */
function daily(data: Health) {
  const sum = (k: "sent" | "complaints" | "bounces") => data.daily.reduce((n, d) => n + d[k], 0);
  const summary = fill(H().chartSummary, { complaints: number(sum("complaints")), bounces: number(sum("bounces")), sent: number(sum("sent")) });
  const canvas = h("canvas", { role: "img", "aria-label": summary, id: ID.healthChart }, [summary]);
  const c = H().dayColumns;
  const rate = (r: number | null) => (r === null ? "–" : percent(r));
  const table = dataTable(
    H().chartCaption,
    [
      { key: "day", label: c.day },
      { key: "sent", label: c.sent, num: true },
      { key: "complaints", label: c.complaints, num: true },
      { key: "complaintRate", label: c.complaintRate, num: true },
      { key: "bounces", label: c.bounces, num: true },
      { key: "bounceRate", label: c.bounceRate, num: true },
    ],
    data.daily.map((d) => ({ day: d.day, sent: number(d.sent), complaints: number(d.complaints), complaintRate: rate(d.complaintRate), bounces: number(d.bounces), bounceRate: rate(d.bounceRate) })),
  );
  const folded = h("details", { className: "health-days" }, [h("summary", { text: H().chartCaption }), table]);
  return { node: section("health-chart-title", H().chartTitle, [h("div", { className: "chart-box" }, [canvas]), folded]), canvas };
}

function suppressions(data: Health) {
  const c = H().suppressionColumns;
  return section("health-suppressions-title", H().suppressionsTitle, [
    dataTable(
      H().suppressionsCaption,
      [
        { key: "window", label: c.window },
        { key: "hardBounce", label: c.hardBounce, num: true },
        { key: "softBounces", label: c.softBounces, num: true },
        { key: "complaint", label: c.complaint, num: true },
        { key: "total", label: c.total, num: true },
      ],
      data.windows.map((w) => ({ window: fill(H().windowTitle, { days: w.days }), hardBounce: number(w.suppressions.hardBounce), softBounces: number(w.suppressions.softBounces), complaint: number(w.suppressions.complaint), total: number(w.suppressions.total) })),
    ),
    h("p", { className: "hint", text: H().suppressionsNote }),
  ]);
}

function deadLetters(data: Health) {
  const c = H().deadLetterColumns;
  return section("health-dead-letters-title", H().deadLettersTitle, [
    dataTable(
      H().deadLettersCaption,
      [
        { key: "queue", label: c.queue },
        { key: "messages", label: c.messages, num: true },
        { key: "status", label: c.status },
      ],
      data.deadLetters.map((d) => ({ queue: H().queues[d.queue] ?? d.queue, messages: d.messages === null ? H().unreadable : number(d.messages), status: status(d.status) })),
      { id: "health-dead-letters" },
    ),
  ]);
}

function runs(data: Health) {
  if (!data.digestRuns.length) return section("health-runs-title", H().runsTitle, [h("p", { className: "empty", text: H().noRuns })]);
  const c = H().runColumns;
  return section("health-runs-title", H().runsTitle, [
    dataTable(
      H().runsCaption,
      [
        { key: "period", label: c.period },
        { key: "cadence", label: c.cadence },
        { key: "state", label: c.state },
        { key: "sent", label: c.sent, num: true },
        { key: "failed", label: c.failed, num: true },
        { key: "created", label: c.created },
        { key: "status", label: c.status },
      ],
      data.digestRuns.map((r) => ({
        period: r.period,
        cadence: T.cadences[r.cadence as keyof typeof T.cadences] ?? r.cadence,
        state: r.error ? h("span", {}, [badge(r.state), ` ${r.error}`]) : badge(r.state),
        sent: number(r.sent),
        failed: number(r.failed),
        created: dateTime(r.createdAt),
        status: status(r.status),
      })),
    ),
  ]);
}

function approvals(data: Health) {
  const intro = h("p", { className: "view-intro", text: fill(H().approvalsIntro, { threshold: number(data.thresholds.approval) }) });
  if (!data.approvals.waiting.length) return section("health-approvals-title", H().approvalsTitle, [intro, h("p", { className: "empty", text: H().noApprovals })]);
  const c = H().approvalColumns;
  return section("health-approvals-title", H().approvalsTitle, [
    intro,
    dataTable(
      H().approvalsCaption,
      [
        { key: "title", label: c.title },
        { key: "author", label: c.author },
        { key: "since", label: c.since },
        { key: "audience", label: c.audience, num: true },
        { key: "status", label: c.status },
      ],
      data.approvals.waiting.map((a) => ({ title: a.title, author: a.author, since: dateTime(a.waitingSince), audience: number(a.audienceEstimate), status: status(a.status) })),
    ),
  ]);
}

function render(data: Health): void {
  chart?.destroy();
  chart = undefined;
  const box = byId(ID.health);
  box.textContent = "";
  box.removeAttribute("aria-busy");
  const overall = h("p", { className: `health-overall health-${data.status}`, id: "health-overall" }, [
    h("strong", {}, [fill(H().overall, { status: "" })]),
    status(data.status),
    h("span", { text: ` ${fill(H().updated, { time: dateTime(data.generatedAt) })}` }),
  ]);
  const chartPart = daily(data);
  box.append(overall, rates(data), chartPart.node, suppressions(data), deadLetters(data), runs(data), approvals(data));
  if (window.Chart) chart = new window.Chart(chartPart.canvas, chartConfig(data));
}

/** Loads the health figures and draws them. */
export async function loadHealth(): Promise<void> {
  const box = byId(ID.health);
  box.setAttribute("aria-busy", "true");
  try {
    render(await api<Health>("GET", "/api/staff/health"));
  } catch (err) {
    box.removeAttribute("aria-busy");
    failed(err);
  }
}
