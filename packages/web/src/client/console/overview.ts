import type { Chart as ChartType, ChartConfiguration } from "chart.js";
import { CHART_ID, ID } from "../../console-contract";
import { byId, fill, h } from "../dom";
import { api, failed } from "./api";
import { DATA, LANG, dateTime, listOf, number, percent, shortDay, T } from "./context";

declare global {
  interface Window {
    /** chart.js's browser build, loaded before this script by the page. */
    Chart?: typeof ChartType;
  }
}

interface Day {
  day: string;
  subscribers: number;
  joined: number;
  left: number;
  sent: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  neverSignedUp: number;
}

interface MissionStats {
  id: string;
  name: Record<string, string>;
  status: "active" | "retired";
  subscribers: number;
  totals: { sent: number; bounced: number; complained: number; unsubscribed: number; neverSignedUp: number };
  series: Day[];
}

type Series = "subscribers" | "sent" | "bounced" | "complained" | "unsubscribed";

const SERIES: { key: Series; axis: "y" | "y1"; color: string; dash: number[]; fill?: boolean }[] = [
  { key: "subscribers", axis: "y", color: "#0b4f8a", dash: [], fill: true },
  { key: "sent", axis: "y1", color: "#2a9d8f", dash: [6, 3] },
  { key: "bounced", axis: "y1", color: "#b35c00", dash: [2, 3] },
  { key: "complained", axis: "y1", color: "#b3261e", dash: [10, 4] },
  { key: "unsubscribed", axis: "y1", color: "#6b4fa0", dash: [4, 2, 1, 2] },
];

const TABLE_COLUMNS = ["day", "subscribers", "joined", "left", "sent", "bounced", "complained", "neverSignedUp", "unsubscribed"] as const;

let charts: ChartType[] = [];

const missionName = (m: MissionStats) => m.name[LANG] ?? m.id;

/** The same numbers as the chart, as a table for screen readers. */
function statsTable(mission: MissionStats) {
  const head = h("tr", {}, TABLE_COLUMNS.map((c) => h("th", { scope: "col", className: c === "day" ? "" : "num", text: T.statColumns[c] })));
  const rows = mission.series.map((d) => h("tr", {}, TABLE_COLUMNS.map((c) => (c === "day" ? h("th", { scope: "row", text: d.day }) : h("td", { className: "num", text: String(d[c]) })))));
  return h("div", { className: "visually-hidden" }, [
    h("table", { className: "data" }, [h("caption", { text: fill(T.chartCaption, { mission: missionName(mission) }) }), h("thead", {}, [head]), h("tbody", {}, rows)]),
  ]);
}

/**
 * chart.js's settings for one mission: subscribers on the left axis, the day's events on the right.
 * On a narrow screen the axis titles give way to the data (the legend and the summary name the lines).
 */
function chartConfig(m: MissionStats): ChartConfiguration<"line"> {
  const wide = window.matchMedia("(min-width: 30rem)").matches;
  return {
    type: "line",
    data: {
      labels: m.series.map((d) => shortDay(d.day)),
      datasets: SERIES.map((s) => ({
        label: T.statColumns[s.key],
        data: m.series.map((d) => d[s.key]),
        yAxisID: s.axis,
        borderColor: s.color,
        backgroundColor: s.fill ? "rgba(11, 79, 138, 0.10)" : s.color,
        borderDash: s.dash,
        borderWidth: s.key === "subscribers" ? 3 : 2,
        fill: Boolean(s.fill),
        tension: 0.25,
        pointRadius: m.series.length > 31 ? 0 : 2,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        y: { beginAtZero: true, position: "left", title: { display: wide, text: T.statColumns.subscribers }, ticks: { precision: 0 } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: wide, text: T.perDay }, ticks: { precision: 0 } },
        x: { ticks: { maxRotation: 0, autoSkipPadding: wide ? 12 : 20 } },
      },
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8, padding: wide ? 10 : 6 } } },
    },
  };
}

/** One mission's card: its figures, the chart (with a text summary as its label) and the table. */
function missionCard(m: MissionStats) {
  const name = missionName(m);
  const summary = fill(T.chartSummary, {
    mission: name,
    subscribers: number(m.subscribers),
    sent: number(m.totals.sent),
    bounced: number(m.totals.bounced),
    complained: number(m.totals.complained),
    unsubscribed: number(m.totals.unsubscribed),
  });
  const canvas = h("canvas", { role: "img", "aria-label": summary, id: CHART_ID.canvas(m.id) }, [summary]);
  const figure = (value: number, label: string) => h("li", {}, [h("strong", { text: number(value) }), label]);
  const card = h("section", { className: "chart-card", "aria-labelledby": CHART_ID.title(m.id), "data-mission": m.id }, [
    h("h3", { id: CHART_ID.title(m.id) }, [name, m.status === "retired" ? ` (${T.retired})` : null]),
    h("ul", { className: "figures", "aria-hidden": "true" }, [
      figure(m.subscribers, T.subscribersNow),
      figure(m.totals.sent, T.statColumns.sent),
      figure(m.totals.bounced, T.statColumns.bounced),
      figure(m.totals.complained, T.statColumns.complained),
      figure(m.totals.neverSignedUp, T.statColumns.neverSignedUp),
      figure(m.totals.unsubscribed, T.statColumns.unsubscribed),
    ]),
    h("div", { className: "chart-box" }, [canvas]),
    statsTable(m),
  ]);
  return { card, canvas };
}

/** One figure of the summary: its name, the number, and a line that puts it in context. */
function summaryFigure(label: string, value: string, note: string, state?: "ok" | "over") {
  return h("div", { className: state ? `summary-figure ${state}` : "summary-figure" }, [h("dt", { text: label }), h("dd", {}, [h("strong", { text: value }), h("span", { text: note })])]);
}

/** A rate against its automatic-pause limit: the rate, the limit, and whether it is over (said in words, not only colour). */
function rateFigure(label: string, count: number, sent: number, limit: number) {
  const rate = sent ? count / sent : 0;
  const over = sent > 0 && rate > limit;
  const note = fill(over ? T.overLimit : T.underLimit, { limit: percent(limit), count: number(count) });
  return summaryFigure(label, sent ? percent(rate) : "–", note, over ? "over" : "ok");
}

/**
 * The period at a glance, before any chart: subscriptions to the active missions now, emails sent, and
 * the complaint and bounce rates against the limits at which a send pauses itself.
 */
function summary(missions: MissionStats[]) {
  const active = missions.filter((m) => m.status === "active");
  const sum = (key: "sent" | "bounced" | "complained" | "neverSignedUp") => missions.reduce((n, m) => n + (m.totals[key] ?? 0), 0);
  const sent = sum("sent");
  const limits = DATA.autoPause;
  return h("section", { className: "summary", "aria-labelledby": "summary-title" }, [
    h("h3", { id: "summary-title", text: T.summaryTitle }),
    h("dl", { className: "summary-figures" }, [
      summaryFigure(T.activeSubscriptions, number(active.reduce((n, m) => n + m.subscribers, 0)), fill(T.activeSubscriptionsNote, { missions: number(active.length) })),
      summaryFigure(T.sentInPeriod, number(sent), T.sentInPeriodNote),
      // "I never signed up", said after unsubscribing, is a complaint in other words: it counts with them here.
      rateFigure(T.complaintRate, sum("complained") + sum("neverSignedUp"), sent, limits.complaintRate),
      rateFigure(T.bounceRate, sum("bounced"), sent, limits.bounceRate),
    ]),
  ]);
}

/** Draws the charts of some missions into a box. */
function drawInto(box: HTMLElement, missions: MissionStats[]): void {
  for (const m of missions) {
    const { card, canvas } = missionCard(m);
    box.append(card);
    if (window.Chart) charts.push(new window.Chart(canvas, chartConfig(m)));
  }
}

function renderCharts(data: { missions: MissionStats[] }): void {
  for (const c of charts) c.destroy();
  charts = [];
  const box = byId(ID.charts);
  box.textContent = "";
  box.removeAttribute("aria-busy");
  if (!data.missions.length) {
    box.append(h("p", { className: "empty", text: T.noMissions }));
    return;
  }
  const active = data.missions.filter((m) => m.status === "active");
  const retired = data.missions.filter((m) => m.status !== "active");
  const grid = h("div", { className: "chart-grid" });
  box.append(summary(data.missions), grid);
  drawInto(grid, active);
  if (!retired.length) return;
  const folded = h("div", { className: "chart-grid" });
  box.append(h("details", { className: "retired" }, [h("summary", { text: fill(T.retiredMissions, { count: number(retired.length) }) }), folded]));
  drawInto(folded, retired);
}
type DepartureReason = "too-many-emails" | "not-relevant" | "never-signed-up" | "other";

interface MissionDepartures {
  id: string;
  name: Record<string, string>;
  counts: Record<DepartureReason, number>;
  total: number;
}

/** Why people left in the period: a table of answers per mission and reason, missions with answers only. */
function renderDepartures(data: { reasons: DepartureReason[]; missions: MissionDepartures[] }): void {
  const box = byId(ID.departures);
  box.textContent = "";
  box.removeAttribute("aria-busy");
  const answered = data.missions.filter((m) => m.total > 0);
  const heading = h("h3", { id: "departures-title", text: T.departuresTitle });
  const intro = h("p", { className: "view-intro", text: T.departuresIntro });
  if (!answered.length) {
    box.append(h("section", { "aria-labelledby": "departures-title" }, [heading, intro, h("p", { className: "empty", text: T.departuresNone })]));
    return;
  }
  const head = h("tr", {}, [
    h("th", { scope: "col", text: T.departuresMission }),
    ...data.reasons.map((r) => h("th", { scope: "col", className: "num", text: T.departureReasons[r] })),
    h("th", { scope: "col", className: "num", text: T.departuresTotal }),
  ]);
  const rows = answered.map((m) =>
    h("tr", { "data-mission": m.id }, [
      h("th", { scope: "row", text: m.name[LANG] ?? m.id }),
      ...data.reasons.map((r) => h("td", { className: "num", text: number(m.counts[r]) })),
      h("td", { className: "num", text: number(m.total) }),
    ]),
  );
  const table = h("table", { className: "data" }, [h("caption", { text: T.departuresCaption }), h("thead", {}, [head]), h("tbody", {}, rows)]);
  box.append(h("section", { "aria-labelledby": "departures-title" }, [heading, intro, h("div", { className: "card table-wrap" }, [table])]));
}

type RetentionCategory = "pendingSignUps" | "unsubscribedErased" | "deliveriesDeleted" | "batchesCompacted" | "auditPseudonymised";
interface RetentionReport {
  at: string;
  counts: Record<RetentionCategory, number>;
  more: RetentionCategory[];
}
const RETENTION_CATEGORIES: RetentionCategory[] = ["pendingSignUps", "unsubscribedErased", "deliveriesDeleted", "batchesCompacted", "auditPseudonymised"];

/** The last daily retention sweep: when, and a count per category (a table), and what it left for the next run. */
function renderRetention(report: RetentionReport | null | undefined): void {
  const box = byId(ID.retention);
  box.textContent = "";
  box.removeAttribute("aria-busy");
  const R = T.retention;
  const heading = h("h3", { id: "retention-title", text: R.title });
  const intro = h("p", { className: "view-intro", text: R.intro });
  if (!report) {
    box.append(h("section", { "aria-labelledby": "retention-title" }, [heading, intro, h("p", { className: "empty", text: R.never })]));
    return;
  }
  const head = h("tr", {}, [h("th", { scope: "col", text: R.category }), h("th", { scope: "col", className: "num", text: R.count })]);
  const rows = RETENTION_CATEGORIES.map((c) => h("tr", { "data-category": c }, [h("th", { scope: "row", text: R.categories[c] }), h("td", { className: "num", text: number(report.counts[c]) })]));
  const table = h("table", { className: "data" }, [h("caption", { text: R.caption }), h("thead", {}, [head]), h("tbody", {}, rows)]);
  const notes = [h("p", { text: fill(R.lastRun, { at: dateTime(report.at) }) })];
  if (report.more.length) notes.push(h("p", { text: fill(R.more, { categories: listOf(report.more.map((c) => R.categories[c])) }) }));
  box.append(h("section", { "aria-labelledby": "retention-title" }, [heading, intro, ...notes, h("div", { className: "card table-wrap" }, [table])]));
}

/** Loads the chosen period's statistics and draws them, then why people left in the same period. */
export async function loadStats(): Promise<void> {
  byId(ID.charts).setAttribute("aria-busy", "true");
  byId(ID.departures).setAttribute("aria-busy", "true");
  byId(ID.retention).setAttribute("aria-busy", "true");
  try {
    const stats = await api<{ from: string; to: string; missions: MissionStats[]; retention?: RetentionReport | null }>("GET", `/api/staff/stats?days=${encodeURIComponent(byId<HTMLSelectElement>(ID.statsDays).value)}`);
    renderCharts(stats);
    renderRetention(stats.retention);
    renderDepartures(await api<{ reasons: DepartureReason[]; missions: MissionDepartures[] }>("GET", `/api/staff/unsubscribe-reasons?from=${encodeURIComponent(stats.from)}&to=${encodeURIComponent(stats.to)}`));
  } catch (err) {
    failed(err);
  }
}
