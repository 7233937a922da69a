import { ID } from "../../console-contract";
import { byId, fill, h } from "../dom";
import { api, failed } from "./api";
import { badge } from "./badge";
import { dateTime, number, say, T } from "./context";
import { confirmAction } from "./dialog";

interface Run {
  runId: string;
  period: string;
  cadence: "daily" | "weekly" | "monthly";
  state: string;
  planned: number;
  sent: number;
  skipped: number;
  failed: number;
  createdAt: string;
  /** Why the run failed, if it did. */
  error?: string;
  /** Items the run left out because they cannot be put into an email. */
  warnings?: { itemId: string; version: number; reason: string }[];
}

/** Why a run failed and the items it left out, one note each. */
const notesOf = (r: Run) => [...(r.error ? [fill(T.runError, { error: r.error })] : []), ...(r.warnings ?? []).map((w) => fill(T.runItemLeftOut, { item: w.itemId, version: w.version, reason: w.reason }))];

let runsTimer: number | undefined;

/** The latest digest runs; while one is under way, the table refreshes itself as long as the view shows. */
export async function loadRuns(isShown: () => boolean): Promise<void> {
  window.clearTimeout(runsTimer);
  const box = byId(ID.runList);
  box.setAttribute("aria-busy", "true");
  try {
    const { runs = [] } = await api<{ runs?: Run[] }>("GET", "/api/staff/runs?limit=20");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    if (!runs.length) {
      box.append(h("p", { className: "empty", text: T.noRuns }));
      return;
    }
    const c = T.runColumns;
    const numeric = ["planned", "sent", "skipped", "failed"];
    const columns = ["period", "cadence", "state", "planned", "sent", "skipped", "failed", "created"] as const;
    box.append(
      h("table", { className: "data", id: ID.runTable }, [
        h("caption", { text: T.runsCaption }),
        h("thead", {}, [h("tr", {}, columns.map((k) => h("th", { scope: "col", className: numeric.includes(k) ? "num" : "", text: c[k] })))]),
        h(
          "tbody",
          {},
          runs.flatMap((r) => [
            h("tr", { "data-run": r.runId }, [
              h("th", { scope: "row", text: r.period }),
              h("td", { text: T.cadences[r.cadence] ?? r.cadence }),
              h("td", {}, [badge(r.state)]),
              h("td", { className: "num", text: number(r.planned) }),
              h("td", { className: "num", text: number(r.sent) }),
              h("td", { className: "num", text: number(r.skipped) }),
              h("td", { className: "num", text: number(r.failed) }),
              h("td", { text: dateTime(r.createdAt) }),
            ]),
            // Why a run failed, and the items it left out, on a line of their own under the run.
            notesOf(r).length
              ? h("tr", { className: "run-notes", "data-run-notes": r.runId }, [h("td", { colspan: columns.length }, [h("ul", {}, notesOf(r).map((note) => h("li", { text: note })))])])
              : null,
          ]).filter((row): row is HTMLTableRowElement => row !== null),
        ),
      ]),
    );
    const busy = runs.some((r) => ["queued", "planning", "sending"].includes(r.state));
    if (busy && isShown()) runsTimer = window.setTimeout(() => void loadRuns(isShown), 2000);
  } catch (err) {
    box.removeAttribute("aria-busy");
    failed(err);
  }
}

/** Runs the current period's digest now, after a confirmation. */
export async function runDigest(cadence: "daily" | "weekly" | "monthly", button: HTMLButtonElement, isShown: () => boolean): Promise<void> {
  const name = T.digestNames[cadence];
  const ok = await confirmAction({ title: fill(T.confirmDigestTitle, { cadence: name }), text: fill(T.confirmDigestText, { cadence: name }), yes: T.confirmDigestYes });
  if (!ok) {
    button.focus();
    return;
  }
  try {
    await api("POST", "/api/staff/digests/run", { cadence });
    say(T.digestStarted);
    button.focus();
    await loadRuns(isShown);
  } catch (err) {
    failed(err);
  }
}
