import { CONSOLE_LANGUAGES, FIELD_ID, ID, PREVIEW_ID, VIEW_ID, type ConsoleLanguage } from "../../console-contract";
import { byId, fill, focusOn, h } from "../dom";
import { ApiError, api, failed, signedOutBy, type FieldProblem } from "./api";
import { badge } from "./badge";
import { dateTime, LANG, listOf, number, quiet, say, T, wallTime, ZONE } from "./context";
import { confirmAction } from "./dialog";

/**
 * Announcements: the list, the editor with a debounced live preview in sandboxed frames, the test
 * send, send or schedule after a confirmation that states the audience, and progress with pause,
 * resume and cancel. API data goes into the page as text or as a sandboxed frame's `srcdoc`.
 */

type State = "draft" | "scheduled" | "queued" | "planning" | "sending" | "paused" | "cancelled" | "done" | "failed";
type Counter = "audience" | "sent" | "failed" | "bounced" | "complained" | "unsubscribed";

interface Draft {
  title: Partial<Record<ConsoleLanguage, string>>;
  body: Partial<Record<ConsoleLanguage, string>>;
  missions: string[];
  event?: { date: string; time?: string; place?: string };
  cta?: { label: Partial<Record<ConsoleLanguage, string>>; url: string };
}

interface Announcement extends Draft {
  id: string;
  version: number;
  state: State;
  createdAt: string;
  scheduledFor?: string;
  counters?: Partial<Record<Counter | "skipped", number>>;
  pausedReason?: { code: string; message: string; by?: Actor };
  review?: Review;
}

interface Actor {
  sub: string;
  email?: string;
}

/** Where the announcement stands on the four-eyes rule (the API's `review`). */
interface Review {
  required: boolean;
  threshold: number;
  audience: number;
  author: Actor;
  approval?: { by: Actor; at: string };
  refusal?: { by: Actor; at: string; reason: string };
  next: "approval" | "edit" | "send" | "none";
}

type Severity = "ok" | "info" | "warning" | "error";
interface CheckResult {
  check: string;
  severity: Severity;
  language?: string;
  message: string;
}
interface ChecksReport {
  ok: boolean;
  errors: string[];
  warnings: string[];
  checks: CheckResult[];
  audience: { sv: number; en: number; total: number };
  approval: Review;
}

interface Mission {
  id: string;
  name: Record<string, string>;
}

const COUNTERS: Counter[] = ["audience", "sent", "failed", "bounced", "complained", "unsubscribed"];
const ACTIVE_STATES: State[] = ["scheduled", "sending", "paused"];

const input = (id: string) => byId<HTMLInputElement | HTMLTextAreaElement>(id);
const value = (id: string) => input(id).value.trim();

/* ---------- missions ---------- */

let missions: Mission[] = [];
let missionsLoaded: Promise<void> | null = null;

const missionName = (id: string) => missions.find((m) => m.id === id)?.name[LANG] ?? id;

/** The public catalogue, once: the editor's mission choices and the names in lists. */
export function loadMissions(): Promise<void> {
  missionsLoaded ??= fetch("/api/missions", { headers: { accept: "application/json" }, credentials: "omit" })
    .then((res) => res.json() as Promise<{ missions?: Mission[] }>)
    .then((json) => {
      missions = json.missions ?? [];
      byId(ID.missionChoices).replaceChildren(
        ...missions.map((m) =>
          h("div", { className: "check" }, [h("input", { type: "checkbox", id: FIELD_ID.mission(m.id), name: "missions", value: m.id }), h("label", { for: FIELD_ID.mission(m.id), text: m.name[LANG] ?? m.id })]),
        ),
      );
    })
    .catch((err: unknown) => {
      missionsLoaded = null;
      failed(err);
    });
  return missionsLoaded;
}

/* ---------- list ---------- */

const titleOf = (a: Announcement | null) => a?.title[LANG] ?? a?.title.sv ?? a?.title.en ?? T.untitled;

/** The announcements, newest first, each with a button that opens it. */
export async function loadAnnouncements(): Promise<void> {
  const box = byId(ID.announcementList);
  box.setAttribute("aria-busy", "true");
  try {
    const [{ announcements: list = [] }] = await Promise.all([api<{ announcements?: Announcement[] }>("GET", "/api/staff/announcements?limit=50"), loadMissions()]);
    box.textContent = "";
    box.removeAttribute("aria-busy");
    if (!list.length) {
      box.append(h("p", { className: "empty", text: T.noAnnouncements }));
      return;
    }
    const cols = T.columns;
    const col = (text: string, className = "") => h("th", { scope: "col", className, text });
    box.append(
      h("table", { className: "data", id: ID.announcementTable }, [
        h("caption", { text: T.announcementsCaption }),
        h("thead", {}, [h("tr", {}, [col(cols.title), col(cols.missions), col(cols.state), col(cols.progress, "num"), col(cols.created), col(cols.actions)])]),
        h(
          "tbody",
          {},
          list.map((a) => {
            const title = titleOf(a);
            const button = h("button", { type: "button", className: "secondary small", "data-open": a.id, "aria-label": fill(T.openNamed, { title }), text: T.open });
            button.addEventListener("click", () => void openAnnouncement(a.id));
            const counters = a.counters ?? {};
            return h("tr", { "data-announcement": a.id }, [
              h("th", { scope: "row", text: title }),
              h("td", { text: a.missions.map(missionName).join(", ") }),
              h("td", {}, [badge(a.state)]),
              h("td", { className: "num", text: a.state === "draft" || a.state === "scheduled" ? "–" : `${number(counters.sent)} / ${number(counters.audience)}` }),
              h("td", { text: dateTime(a.createdAt) }),
              h("td", {}, [button]),
            ]);
          }),
        ),
      ]),
    );
  } catch (err) {
    box.removeAttribute("aria-busy");
    failed(err);
  }
}

/* ---------- compose and preview ---------- */

let current: Announcement | null = null;
let dirty = false;

function draftFromForm(): Draft {
  const draft: Draft = { title: {}, body: {}, missions: [] };
  for (const l of CONSOLE_LANGUAGES) {
    if (value(FIELD_ID.title(l))) draft.title[l] = value(FIELD_ID.title(l));
    if (value(FIELD_ID.body(l))) draft.body[l] = value(FIELD_ID.body(l));
  }
  for (const box of Array.from(byId(ID.missionChoices).querySelectorAll<HTMLInputElement>("input:checked"))) draft.missions.push(box.value);
  if (value(ID.eventDate) || value(ID.eventTime) || value(ID.eventPlace)) {
    draft.event = { date: value(ID.eventDate) };
    if (value(ID.eventTime)) draft.event.time = value(ID.eventTime);
    if (value(ID.eventPlace)) draft.event.place = value(ID.eventPlace);
  }
  if (CONSOLE_LANGUAGES.some((l) => value(FIELD_ID.ctaLabel(l))) || value(ID.ctaUrl)) {
    draft.cta = { label: {}, url: value(ID.ctaUrl) };
    for (const l of CONSOLE_LANGUAGES) if (value(FIELD_ID.ctaLabel(l))) draft.cta.label[l] = value(FIELD_ID.ctaLabel(l));
  }
  return draft;
}

function fillForm(a: Announcement | null): void {
  for (const l of CONSOLE_LANGUAGES) {
    input(FIELD_ID.title(l)).value = a?.title[l] ?? "";
    input(FIELD_ID.body(l)).value = a?.body[l] ?? "";
    input(FIELD_ID.ctaLabel(l)).value = a?.cta?.label[l] ?? "";
  }
  input(ID.eventDate).value = a?.event?.date ?? "";
  input(ID.eventTime).value = a?.event?.time ?? "";
  input(ID.eventPlace).value = a?.event?.place ?? "";
  input(ID.ctaUrl).value = a?.cta?.url ?? "";
  for (const box of Array.from(byId(ID.missionChoices).querySelectorAll<HTMLInputElement>("input"))) box.checked = Boolean(a?.missions.includes(box.value));
}

/** Which element shows the API's error for a field path; the nearest known parent path wins. */
const FIELD_IDS: Record<string, string> = {
  "title.sv": FIELD_ID.title("sv"),
  "title.en": FIELD_ID.title("en"),
  title: FIELD_ID.title("sv"),
  "body.sv": FIELD_ID.body("sv"),
  "body.en": FIELD_ID.body("en"),
  body: FIELD_ID.body("sv"),
  missions: ID.missionsFieldset,
  event: ID.eventDate,
  "event.date": ID.eventDate,
  "event.time": ID.eventTime,
  "event.place": ID.eventPlace,
  cta: ID.ctaUrl,
  "cta.url": ID.ctaUrl,
  "cta.label": FIELD_ID.ctaLabel("sv"),
  "cta.label.sv": FIELD_ID.ctaLabel("sv"),
  "cta.label.en": FIELD_ID.ctaLabel("en"),
};

function fieldIdFor(path: string): string | null {
  let p = path;
  while (p && !FIELD_IDS[p]) p = p.replace(/\.?[^.]*$/, "");
  return FIELD_IDS[p] ?? null;
}

function clearErrors(): void {
  const summary = byId(ID.composeErrors);
  summary.hidden = true;
  summary.textContent = "";
  const form = byId(ID.composeForm);
  for (const f of Array.from(form.querySelectorAll(".has-error"))) f.classList.remove("has-error");
  for (const e of Array.from(form.querySelectorAll(".field-error"))) e.remove();
  for (const e of Array.from(form.querySelectorAll("[aria-invalid]"))) e.removeAttribute("aria-invalid");
}

/** Marks each refused field, and lists the problems in a summary that links to them and takes focus. */
function showErrors(err: ApiError): void {
  clearErrors();
  const summary = byId(ID.composeErrors);
  const problems: FieldProblem[] = err.fields.length ? err.fields : [{ field: "", message: err.message }];
  const items = problems.map((p) => {
    const id = fieldIdFor(p.field);
    const target = id ? document.getElementById(id) : null;
    if (!target) return h("li", {}, [h("span", { text: p.message })]);
    const isGroup = target.tagName === "FIELDSET";
    const field = target.closest(".field") ?? target;
    field.classList.add("has-error");
    if (!isGroup) target.setAttribute("aria-invalid", "true");
    const where = isGroup ? target.querySelector("legend") : field.querySelector("label");
    where?.insertAdjacentElement("afterend", h("p", { className: "field-error", text: p.message }));
    const link = h("a", { href: `#${id}`, text: p.message });
    link.addEventListener("click", (e) => {
      e.preventDefault();
      (isGroup ? target.querySelector("input") : target)?.focus();
    });
    return h("li", {}, [link]);
  });
  summary.append(h("h2", { text: T.fixErrors }), h("ul", {}, items));
  summary.hidden = false;
  focusOn(summary);
}

let previewTimer: number | undefined;
let previewSeq = 0;

const hasContent = (draft: Draft) => CONSOLE_LANGUAGES.some((l) => draft.title[l] && draft.body[l]);

/** Updates the preview once typing pauses. */
export function schedulePreview(delay = 600): void {
  window.clearTimeout(previewTimer);
  previewTimer = window.setTimeout(() => void updatePreview(), delay);
}

function clearPreview(message: string): void {
  byId(ID.previewStatus).textContent = message;
  for (const l of CONSOLE_LANGUAGES) {
    byId(PREVIEW_ID.subject(l)).textContent = "";
    byId(PREVIEW_ID.note(l)).hidden = true;
    byId<HTMLIFrameElement>(PREVIEW_ID.frame(l, "desktop")).srcdoc = "";
    byId<HTMLIFrameElement>(PREVIEW_ID.frame(l, "mobile")).srcdoc = "";
  }
}

/** Renders the draft in both languages on the server and shows each in its sandboxed frames. */
async function updatePreview(): Promise<void> {
  const draft = draftFromForm();
  const seq = ++previewSeq;
  if (!hasContent(draft)) {
    clearPreview(T.previewEmpty);
    return;
  }
  const section = byId(ID.previewTitle).closest("section");
  byId(ID.previewStatus).textContent = T.previewUpdating;
  section?.setAttribute("aria-busy", "true");
  try {
    const previews = await Promise.all(CONSOLE_LANGUAGES.map((l) => api<{ subject: string; html: string; fallback?: boolean }>("POST", `/api/staff/announcements/preview?lang=${l}`, draft)));
    if (seq !== previewSeq) return;
    previews.forEach((p, i) => {
      const l = CONSOLE_LANGUAGES[i]!;
      byId(PREVIEW_ID.subject(l)).textContent = `${T.subject}: ${p.subject}`;
      const note = byId(PREVIEW_ID.note(l));
      note.hidden = !p.fallback;
      note.textContent = p.fallback ? fill(T.previewFallback, { language: T.languages[l] }) : "";
      byId<HTMLIFrameElement>(PREVIEW_ID.frame(l, "desktop")).srcdoc = p.html;
      byId<HTMLIFrameElement>(PREVIEW_ID.frame(l, "mobile")).srcdoc = p.html;
    });
    byId(ID.previewStatus).textContent = T.previewUpdated;
  } catch (err) {
    if (seq === previewSeq && !signedOutBy(err)) byId(ID.previewStatus).textContent = fill(T.previewFailed, { reason: err instanceof Error ? err.message : "?" });
  } finally {
    section?.removeAttribute("aria-busy");
  }
}

const editable = (a: Announcement | null) => !a || a.state === "draft" || a.state === "scheduled";

/** Whether the editor is open (rather than the list). */
export const editorOpen = () => !byId(ID.editor).hidden;

function showEditor(a: Announcement | null): void {
  current = a;
  dirty = false;
  clearErrors();
  byId(ID.announcementIndex).hidden = true;
  byId(ID.editor).hidden = false;
  byId(ID.editorHeading).textContent = a ? fill(T.editHeading, { title: titleOf(a) }) : T.newHeading;
  byId<HTMLFieldSetElement>(ID.composeFields).disabled = !editable(a);
  renderSendState();
}

export async function newAnnouncement(): Promise<void> {
  stopPolling();
  await loadMissions();
  fillForm(null);
  showEditor(null);
  clearPreview(T.previewEmpty);
  focusOn(byId(ID.editorHeading));
}

async function openAnnouncement(id: string): Promise<void> {
  stopPolling();
  try {
    const [a] = await Promise.all([api<Announcement>("GET", `/api/staff/announcements/${encodeURIComponent(id)}`), loadMissions()]);
    fillForm(a);
    showEditor(a);
    if (!editable(a)) say(T.savedReadOnly);
    focusOn(byId(ID.editorHeading));
    schedulePreview(0);
    if (ACTIVE_STATES.includes(a.state)) pollProgress();
  } catch (err) {
    failed(err);
  }
}

/** Closes the editor without reloading the list (the view is being left). */
export function closeEditor(): void {
  stopPolling();
  byId(ID.editor).hidden = true;
  byId(ID.announcementIndex).hidden = false;
}

export function backToList(): void {
  closeEditor();
  current = null;
  void loadAnnouncements();
  focusOn(byId(VIEW_ID.title("announcements")));
}

/** Marks the form as changed and refreshes the preview. */
export function edited(): void {
  dirty = true;
  schedulePreview();
}

/** Saves the draft: creates it, or updates it at the version it was read at. */
export async function saveDraft(): Promise<Announcement> {
  clearErrors();
  const draft = draftFromForm();
  try {
    const a = current
      ? await api<Announcement>("PUT", `/api/staff/announcements/${encodeURIComponent(current.id)}`, { ...draft, version: current.version })
      : await api<Announcement>("POST", "/api/staff/announcements", draft);
    current = a;
    dirty = false;
    byId(ID.editorHeading).textContent = fill(T.editHeading, { title: titleOf(a) });
    renderSendState();
    say(T.saved);
    return a;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 400 || err.status === 422)) showErrors(err);
    else failed(err);
    throw err;
  }
}

/* ---------- test, send, progress ---------- */

function renderSendState(): void {
  byId(ID.sendHint).textContent = T.saveFirst;
  byId(ID.sendCard).hidden = !editable(current);
  renderReview(current?.review);
  renderProgress(current);
}

const who = (actor: Actor | undefined) => actor?.email ?? actor?.sub ?? "?";

/** Who must act next, in words, and the approve and refuse controls where a decision is wanted. */
function renderReview(review: Review | undefined): void {
  const status = byId(ID.reviewStatus);
  byId(ID.reviewError).textContent = "";
  const deciding = review?.next === "approval" || review?.next === "edit";
  byId(ID.approve).hidden = !deciding;
  byId(ID.refuseForm).hidden = review?.next !== "approval";
  if (!review || review.next === "none") {
    status.textContent = "";
    return;
  }
  const values = { author: who(review.author), audience: number(review.audience), threshold: number(review.threshold) };
  status.textContent =
    review.next === "approval"
      ? fill(T.nextApproval, values)
      : review.next === "edit"
        ? fill(T.nextEdit, { ...values, by: who(review.refusal?.by), reason: review.refusal?.reason ?? "" })
        : review.approval
          ? fill(T.nextApproved, { by: who(review.approval.by) })
          : fill(T.nextNoApproval, values);
}

let lastChecks: ChecksReport | null = null;

/** Shows a checks report: a summary, then each finding that is not plainly OK, with its severity and language. */
function renderChecks(report: ChecksReport): void {
  lastChecks = report;
  const names: Record<string, string> = T.checkNames;
  const severities: Record<string, string> = T.severities;
  const shown = report.checks.filter((c) => c.severity !== "ok" || c.check === "html-size" || c.check === "subject-length");
  byId(ID.checksList).replaceChildren(
    ...shown.map((c) =>
      h("li", { class: `check-${c.severity}`, "data-check": c.check, "data-severity": c.severity }, [
        h("span", { class: `badge severity-${c.severity}`, text: severities[c.severity] ?? c.severity }),
        h("strong", { text: ` ${names[c.check] ?? c.check}${c.language ? ` (${c.language})` : ""}: ` }),
        h("span", { text: c.message }),
      ]),
    ),
  );
  const a = report.audience;
  const summary = report.errors.length ? fill(T.checksErrors, { count: report.errors.length }) : report.warnings.length ? fill(T.checksWarnings, { count: report.warnings.length }) : T.checksOk;
  byId(ID.checksSummary).textContent = `${summary} ${fill(T.checksAudience, { total: number(a.total), sv: number(a.sv), en: number(a.en) })}`;
  byId(ID.ackField).hidden = !report.warnings.length;
  if (!report.warnings.length) byId<HTMLInputElement>(ID.ackWarnings).checked = false;
  renderReview(report.approval);
}

/** Saves what is written, then runs the pre-send checks and shows them. */
export async function runChecks(): Promise<ChecksReport | null> {
  const button = byId<HTMLButtonElement>(ID.runChecks);
  button.disabled = true;
  byId(ID.checksSummary).textContent = T.checksRunning;
  try {
    const a = await savedFirst();
    const report = await api<ChecksReport>("POST", `/api/staff/announcements/${encodeURIComponent(a.id)}/checks`);
    renderChecks(report);
    return report;
  } catch (err) {
    byId(ID.checksSummary).textContent = "";
    failed(err);
    return null;
  } finally {
    button.disabled = false;
  }
}

/** Approves the saved announcement, or refuses it with the reason typed. */
export async function review(decision: "approve" | "refuse"): Promise<void> {
  if (!current) return;
  const error = byId(ID.reviewError);
  error.textContent = "";
  const reason = value(ID.refuseReason);
  if (decision === "refuse" && !reason) {
    error.textContent = T.refuseReasonMissing;
    input(ID.refuseReason).focus();
    return;
  }
  try {
    current = await api<Announcement>("POST", `/api/staff/announcements/${encodeURIComponent(current.id)}/${decision}`, decision === "refuse" ? { reason } : {});
    input(ID.refuseReason).value = "";
    renderSendState();
    say(decision === "approve" ? T.approved : T.refused);
  } catch (err) {
    if (err instanceof ApiError && !signedOutBy(err)) error.textContent = err.code === "role_required" ? T.roleRequired : err.message;
  }
}

function renderProgress(a: Announcement | null): void {
  const card = byId(ID.progressCard);
  if (!a || a.state === "draft") {
    card.hidden = true;
    return;
  }
  card.hidden = false;
  const state = byId(ID.progressState);
  state.className = `badge state-${a.state}`;
  state.textContent = T.states[a.state] ?? a.state;
  const c = a.counters ?? {};
  const done = (c.sent ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0);
  const total = c.audience ?? 0;
  const bar = byId<HTMLProgressElement>(ID.sendProgress);
  bar.hidden = a.state === "scheduled";
  bar.max = Math.max(total, 1);
  bar.value = Math.min(done, bar.max);
  const percent = total ? Math.floor((Math.min(done, total) / total) * 100) : a.state === "done" ? 100 : 0;
  const text = byId(ID.progressText);
  text.textContent = a.state === "scheduled" || (a.state === "sending" && !total) ? T.progressWaiting : fill(T.progressText, { done: number(done), audience: number(total), percent });
  bar.setAttribute("aria-valuetext", text.textContent);
  const scheduled = byId(ID.scheduledFor);
  scheduled.hidden = a.state !== "scheduled";
  scheduled.textContent = a.state === "scheduled" ? fill(T.scheduledFor, { when: wallTime(a.scheduledFor) }) : "";
  const reason = byId(ID.pausedReason);
  const paused = a.state === "paused" ? a.pausedReason : undefined;
  reason.hidden = !paused;
  const autoPause: Record<string, string> = T.autoPause;
  reason.textContent = !paused
    ? ""
    : paused.code === "manual"
      ? fill(T.pausedManually, { who: paused.by?.email ?? paused.by?.sub ?? "?" })
      : fill(T.pausedBecause, { reason: autoPause[paused.code] ?? paused.message });
  byId(ID.counters).replaceChildren(...COUNTERS.map((key) => h("div", { "data-counter": key }, [h("dt", { text: T.counters[key] }), h("dd", { text: number(c[key]) })])));
  byId(ID.pause).hidden = a.state !== "sending";
  byId(ID.resume).hidden = a.state !== "paused";
  byId(ID.cancel).hidden = !ACTIVE_STATES.includes(a.state);
}

let pollTimer: number | undefined;

export function stopPolling(): void {
  window.clearTimeout(pollTimer);
  pollTimer = undefined;
}

/** Follows a send or schedule: every second while sending, otherwise every four. */
function pollProgress(): void {
  stopPolling();
  if (!current) return;
  const id = current.id;
  pollTimer = window.setTimeout(
    async () => {
      try {
        const a = await api<Announcement>("GET", `/api/staff/announcements/${encodeURIComponent(id)}`);
        if (!current || current.id !== id) return;
        const was = current.state;
        current = a;
        if (was !== a.state) renderSendState();
        else renderProgress(a);
        if (was !== a.state && (a.state === "done" || a.state === "paused" || a.state === "cancelled")) say(`${T.states[a.state]}: ${byId(ID.progressText).textContent}`);
        if (ACTIVE_STATES.includes(a.state)) pollProgress();
      } catch (err) {
        failed(err);
        if (!signedOutBy(err)) pollProgress();
      }
    },
    current.state === "sending" ? 1000 : 4000,
  );
}

const savedFirst = () => (dirty || !current ? saveDraft() : Promise.resolve(current));

/** Sends the (saved) announcement to a few addresses, marked as a test. */
export async function testSend(): Promise<void> {
  const error = byId(ID.testError);
  error.textContent = "";
  const to = value(ID.testTo)
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!to.length) {
    error.textContent = T.testEmpty;
    input(ID.testTo).focus();
    return;
  }
  const button = byId<HTMLButtonElement>(ID.sendTest);
  button.disabled = true;
  try {
    const a = await savedFirst();
    await api("POST", `/api/staff/announcements/${encodeURIComponent(a.id)}/test`, { to });
    say(fill(T.testSent, { to: listOf(to) }));
  } catch (err) {
    if (err instanceof ApiError && !signedOutBy(err)) {
      if (err.fields.length && !/^(title|body|missions|event|cta)/.test(err.fields[0]!.field)) error.textContent = err.fields.map((f) => f.message).join(" ");
      else if (err.status !== 400 && err.status !== 422) error.textContent = err.message;
    }
  } finally {
    button.disabled = false;
  }
}

/** Now in Stockholm, as a `datetime-local` value: the earliest a send can be scheduled. */
export function stockholmNow(): string {
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date())) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Saves, counts the audience, asks (naming the audience), then sends now or schedules. */
export async function reviewSend(): Promise<void> {
  const error = byId(ID.sendError);
  error.textContent = "";
  const later = byId<HTMLInputElement>(ID.sendLater).checked;
  const at = value(ID.sendAt);
  if (later && !at) {
    error.textContent = T.whenMissing;
    input(ID.sendAt).focus();
    return;
  }
  const button = byId<HTMLButtonElement>(ID.reviewSend);
  button.disabled = true;
  say(T.audienceLoading);
  try {
    const saved = await savedFirst();
    const a = await api<Announcement>("GET", `/api/staff/announcements/${encodeURIComponent(saved.id)}`);
    current = a;
    quiet();
    const audience = a.counters?.audience ?? 0;
    if (!audience && !later) {
      error.textContent = T.noAudience;
      return;
    }
    const report = await runChecks();
    if (!report) return;
    if (!report.ok) {
      error.textContent = fill(T.checksErrors, { count: report.errors.length });
      return;
    }
    if (report.approval.next === "approval" || report.approval.next === "edit") {
      error.textContent = byId(ID.reviewStatus).textContent ?? "";
      return;
    }
    const acknowledged = byId<HTMLInputElement>(ID.ackWarnings).checked;
    if (report.warnings.length && !acknowledged) {
      error.textContent = T.ackNeeded;
      byId(ID.ackWarnings).focus();
      return;
    }
    const ok = await confirmAction({
      title: later ? T.confirmScheduleTitle : T.confirmSendTitle,
      text: fill(later ? T.confirmScheduleText : T.confirmSendText, { audience: number(audience), missions: listOf(a.missions.map(missionName)), when: wallTime(at) }),
      yes: later ? T.confirmScheduleYes : fill(T.confirmSendYes, { audience: number(audience) }),
    });
    if (!ok) {
      button.disabled = false;
      button.focus();
      return;
    }
    const ack = lastChecks?.warnings.length ? { acknowledgeWarnings: true } : {};
    current = await api<Announcement>("POST", `/api/staff/announcements/${encodeURIComponent(a.id)}/send`, later ? { at, ...ack } : ack);
    renderSendState();
    say(later ? fill(T.scheduled, { when: wallTime(at) }) : T.sendStarted);
    focusOn(byId(ID.progressTitle));
    pollProgress();
  } catch (err) {
    if (err instanceof ApiError && !signedOutBy(err)) {
      quiet();
      if (err.fields[0]?.field === "at") error.textContent = err.fields[0].message;
      else if (err.code === "role_required") error.textContent = T.roleRequired;
      else if (err.code === "checks_failed" || err.code === "warnings_not_acknowledged") error.textContent = err.message;
      else if ((err.status !== 400 && err.status !== 422) || !err.fields.length) error.textContent = err.message;
    }
  } finally {
    button.disabled = false;
  }
}

/** Pauses, resumes or (after a confirmation) cancels the send. */
export async function control(action: "pause" | "resume" | "cancel"): Promise<void> {
  if (!current) return;
  const id = current.id;
  if (action === "cancel" && !(await confirmAction({ title: T.confirmCancelTitle, text: T.confirmCancelText, yes: T.confirmCancelYes }))) {
    byId(ID.cancel).focus();
    return;
  }
  try {
    const view = await api<Announcement>("POST", `/api/staff/announcements/${encodeURIComponent(id)}/${action}`, {});
    current = view;
    renderSendState();
    say(action === "pause" ? T.paused : action === "resume" ? T.resumed : T.cancelled);
    const next = action === "pause" ? byId(ID.resume) : action === "resume" ? byId(ID.pause) : byId(ID.progressTitle);
    focusOn(next.hidden ? byId(ID.progressTitle) : next);
    if (ACTIVE_STATES.includes(view.state)) pollProgress();
  } catch (err) {
    failed(err);
  }
}
