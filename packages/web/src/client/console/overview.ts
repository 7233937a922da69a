import type { Chart as ChartType, ChartConfiguration } from "chart.js";
import { CHART_ID, ID } from "../../console-contract";
import { byId, fill, h } from "../dom";
import { api, failed } from "./api";
import { LANG, number, shortDay, T } from "./context";

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
}

interface MissionStats {
  id: string;
  name: Record<string, string>;
  status: "active" | "retired";
  subscribers: number;
  totals: { sent: number; bounced: number; complained: number; unsubscribed: number };
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

const TABLE_COLUMNS = ["day", "subscribers", "joined", "left", "sent", "bounced", "complained", "unsubscribed"] as const;

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

/** chart.js's settings for one mission: subscribers on the left axis, the day's events on the right. */
function chartConfig(m: MissionStats): ChartConfiguration<"line"> {
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
        y: { beginAtZero: true, position: "left", title: { display: true, text: T.statColumns.subscribers }, ticks: { precision: 0 } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: T.perDay }, ticks: { precision: 0 } },
        x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } },
      },
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8 } } },
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
      figure(m.totals.unsubscribed, T.statColumns.unsubscribed),
    ]),
    h("div", { className: "chart-box" }, [canvas]),
    statsTable(m),
  ]);
  return { card, canvas };
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
  for (const m of data.missions) {
    const { card, canvas } = missionCard(m);
    box.append(card);
    if (window.Chart) charts.push(new window.Chart(canvas, chartConfig(m)));
  }
}

/** Loads the chosen period's statistics and draws them. */
export async function loadStats(): Promise<void> {
  byId(ID.charts).setAttribute("aria-busy", "true");
  try {
    renderCharts(await api<{ missions: MissionStats[] }>("GET", `/api/staff/stats?days=${encodeURIComponent(byId<HTMLSelectElement>(ID.statsDays).value)}`));
  } catch (err) {
    failed(err);
  }
}
