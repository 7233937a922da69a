import { ID, VIEW_ID, VIEWS, type View } from "../console-contract";
import { byId, fill, focusOn } from "./dom";
import { api, failed, signedOutBy, whenSignedOut } from "./console/api";
import { backToList, closeEditor, control, edited, editorOpen, loadAnnouncements, loadMissions, newAnnouncement, review, reviewSend, runChecks, saveDraft, stockholmNow, stopPolling, testSend } from "./console/announcements";
import { SIGN_IN, shortTime, T } from "./console/context";
import { loadRuns, runDigest } from "./console/digests";
import { loadStats } from "./console/overview";
import { clearSession, finishHostedSignIn, readSession, saveSession, startHostedSignIn, takeFragmentToken } from "./console/session";

/**
 * The staff console's script: signs staff in (see ./console/session), shows one view at a time
 * (overview, announcements, digests; the address's fragment names it) and wires the page's controls.
 * Every API call carries the session's bearer token; a 401 or 403 signs the person out.
 */

let currentView: View | null = null;
const isView = (name: string): name is View => (VIEWS as readonly string[]).includes(name);
const digestsShown = () => currentView === "digests";

function showView(name: View, moveFocus: boolean): void {
  currentView = name;
  for (const link of Array.from(document.querySelectorAll<HTMLElement>("[data-view]"))) {
    if (link.getAttribute("data-view") === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const view of VIEWS) byId(VIEW_ID.section(view)).hidden = view !== name;
  if (location.hash !== `#${name}`) history.replaceState(null, "", `${location.pathname}${location.search}#${name}`);
  if (name === "overview") void loadStats();
  if (name === "announcements" && !editorOpen()) void loadAnnouncements();
  if (name === "digests") void loadRuns(digestsShown);
  if (moveFocus) focusOn(byId(VIEW_ID.title(name)));
}

function signedOut(message = ""): void {
  clearSession();
  stopPolling();
  byId(ID.workspace).hidden = true;
  byId(ID.session).hidden = true;
  byId(ID.signIn).hidden = false;
  byId(ID.signInError).textContent = message;
}

function signedIn(moveFocus: boolean): void {
  const session = readSession();
  if (!session) return signedOut();
  byId(ID.signIn).hidden = true;
  byId(ID.signInError).textContent = "";
  byId(ID.workspace).hidden = false;
  byId(ID.session).hidden = false;
  const until = session.exp ? ` ${fill(T.signedInUntil, { time: shortTime(session.exp) })}` : "";
  byId(ID.sessionWho).textContent = fill(T.signedInAs, { who: session.who || "?" }) + until;
  const testTo = byId<HTMLInputElement>(ID.testTo);
  if (!testTo.value && session.who.includes("@")) testTo.value = session.who;
  const requested = location.hash.replace(/^#/, "");
  showView(isView(requested) ? requested : "overview", moveFocus);
  void loadMissions();
}

whenSignedOut(signedOut);

for (const link of Array.from(document.querySelectorAll<HTMLElement>("[data-view]"))) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const view = link.getAttribute("data-view") ?? "";
    if (!isView(view)) return;
    if (view === "announcements" && editorOpen()) closeEditor();
    showView(view, true);
  });
}

byId(ID.tokenForm).addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId<HTMLTextAreaElement>(ID.tokenInput);
  const token = input.value.trim();
  input.value = "";
  const error = byId(ID.signInError);
  if (!token) {
    error.textContent = T.tokenEmpty;
    input.focus();
    return;
  }
  if (!saveSession(token)) {
    error.textContent = fill(T.signInFailed, { reason: "JWT?" });
    input.focus();
    return;
  }
  api("GET", "/api/staff/runs?limit=1").then(
    () => signedIn(true),
    (err: unknown) => (signedOutBy(err) ? input.focus() : failed(err)),
  );
});

document.getElementById(ID.signInHosted)?.addEventListener("click", () => void startHostedSignIn());
byId(ID.signOut).addEventListener("click", (event) => {
  clearSession();
  if (!SIGN_IN.authDomain) {
    event.preventDefault();
    signedOut();
    focusOn(byId(ID.signInTitle));
  }
});
byId(ID.statsDays).addEventListener("change", () => void loadStats());
byId(ID.newAnnouncement).addEventListener("click", () => void newAnnouncement());
byId(ID.backToList).addEventListener("click", backToList);
byId(ID.composeForm).addEventListener("input", edited);
byId(ID.composeForm).addEventListener("change", edited);
byId(ID.composeForm).addEventListener("submit", (event) => {
  event.preventDefault();
  saveDraft().catch(() => undefined);
});
byId(ID.testForm).addEventListener("submit", (event) => {
  event.preventDefault();
  void testSend();
});
byId(ID.sendForm).addEventListener("submit", (event) => {
  event.preventDefault();
  void reviewSend();
});
byId(ID.sendForm).addEventListener("change", () => {
  const later = byId<HTMLInputElement>(ID.sendLater).checked;
  byId(ID.sendAtField).hidden = !later;
  if (later) byId<HTMLInputElement>(ID.sendAt).min = stockholmNow();
});
byId(ID.runChecks).addEventListener("click", () => void runChecks());
byId(ID.approve).addEventListener("click", () => void review("approve"));
byId(ID.refuse).addEventListener("click", () => void review("refuse"));
byId(ID.pause).addEventListener("click", () => void control("pause"));
byId(ID.resume).addEventListener("click", () => void control("resume"));
byId(ID.cancel).addEventListener("click", () => void control("cancel"));
for (const [id, cadence] of [[ID.runWeekly, "weekly"], [ID.runMonthly, "monthly"], [ID.runDaily, "daily"]] as const) {
  const button = byId<HTMLButtonElement>(id);
  button.addEventListener("click", () => void runDigest(cadence, button, digestsShown));
}
window.addEventListener("hashchange", () => {
  if (takeFragmentToken()) return signedIn(true);
  const view = location.hash.replace(/^#/, "");
  if (readSession() && isView(view) && view !== currentView) showView(view, true);
});

const fromFragment = takeFragmentToken();
const start = location.pathname === "/staff/callback" && SIGN_IN.authDomain ? finishHostedSignIn(T, fill) : Promise.resolve(null);
void start.then((problem) => {
  if (problem === "redirect") return;
  if (problem) return signedOut(problem);
  if (readSession()) return signedIn(false);
  signedOut(fromFragment ? T.sessionEnded : "");
});
