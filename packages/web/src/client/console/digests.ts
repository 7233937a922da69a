import { ID } from "../../console-contract";
import { byId, fill, focusOn, h } from "../dom";
import { api, failed } from "./api";
import { badge } from "./badge";
import { dateTime, number, percent, say, T } from "./context";
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
  /** Why it is paused, while it is: for the automatic pause, the rate and the limit it passed. */
  pausedReason?: { code: string; message: string; count?: number; sent?: number; rate?: number; limit?: number };
}

/** Why a paused run paused, in the page's language (the API's sentence for anything else). */
function pausedText(r: Run): string {
  const p = r.pausedReason;
  if (!p) return "";
  const figures = { count: number(p.count), sent: number(p.sent), rate: percent(p.rate ?? 0), limit: percent(p.limit ?? 0) };
  if (p.code === "complaint_rate" && p.sent !== undefined) return fill(T.runPausedComplaints, figures);
  if (p.code === "bounce_rate" && p.sent !== undefined) return fill(T.runPausedBounces, figures);
  return p.message;
}

/** Recipients of a run not yet sent to, skipped or failed: what a resume sends and a cancel drops. */
const unsentOf = (r: Run) => Math.max(0, r.planned - r.sent - r.skipped - r.failed);

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
            // A paused run: why, and what a publisher can do about it, on a line of its own under the run.
            r.state === "paused" ? pausedRow(r, columns.length, isShown) : null,
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

/** The row under a paused run: why it paused, and the publisher's resume and cancel buttons. */
function pausedRow(r: Run, span: number, isShown: () => boolean): HTMLTableRowElement {
  const resume = h("button", { type: "button", className: "small", "data-run-resume": r.runId, "aria-label": fill(T.resumeRunNamed, { period: r.period }), text: T.resumeRun });
  const cancel = h("button", { type: "button", className: "secondary small", "data-run-cancel": r.runId, "aria-label": fill(T.cancelRunNamed, { period: r.period }), text: T.cancelRun });
  resume.addEventListener("click", () => void controlRun(r, "resume", resume, isShown));
  cancel.addEventListener("click", () => void controlRun(r, "cancel", cancel, isShown));
  return h("tr", { className: "run-notes run-paused", "data-run-paused": r.runId }, [
    h("td", { colspan: span }, [h("p", { className: "paused-reason", text: pausedText(r) }), h("div", { className: "actions" }, [resume, cancel])]),
  ]) as HTMLTableRowElement;
}

/** Resumes a paused run or cancels its rest, after a confirmation; a publisher's (a staff member without the role is told so). */
async function controlRun(r: Run, action: "resume" | "cancel", button: HTMLButtonElement, isShown: () => boolean): Promise<void> {
  const words = { period: r.period, unsent: number(unsentOf(r)) };
  const ok = await confirmAction(
    action === "resume"
      ? { title: fill(T.confirmResumeRunTitle, words), text: fill(T.confirmResumeRunText, words), yes: T.confirmResumeRunYes }
      : { title: fill(T.confirmCancelRunTitle, words), text: fill(T.confirmCancelRunText, words), yes: T.confirmCancelRunYes },
  );
  if (!ok) {
    button.focus();
    return;
  }
  try {
    const done = await api<{ unsentRecipients: number }>("POST", `/api/staff/runs/${encodeURIComponent(r.runId)}/${action}`, {});
    say(fill(action === "resume" ? T.runResumed : T.runCancelled, { unsent: number(done.unsentRecipients) }));
    await loadRuns(isShown);
    focusOn(document.getElementById(ID.runTable)?.querySelector(`tr[data-run="${CSS.escape(r.runId)}"] th`));
  } catch (err) {
    failed(err);
    button.focus();
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
