import { startConfirmation } from "./confirm";
import { focusOn, spoken } from "./dom";

/**
 * The public pages' script, progressive enhancement only: every form it takes over posts and works
 * without it.
 *
 * - Cookie forms (`data-cookie-form`) save the choice with fetch (the server answers JSON and sets the
 *   cookie), then the page's server-rendered regions (`data-region`: the banner, the sign-up section,
 *   the settings summary) are fetched again and swapped in, so the server alone decides whether the
 *   sign-up widget or the notice applies.
 * - The sign-up form (`data-signup`) posts with fetch to the same form route and swaps in the sign-up
 *   section of the answer: the confirmation, or the form with its errors. Focus moves to the error
 *   summary or the result, and the outcome is announced. If fetch fails, the form is posted normally.
 * - The confirmation page (`data-confirm`) confirms by itself once a person has it in view (confirm.ts).
 */

/** Says something through the page's polite live region. */
function announce(text: string | null): void {
  const status = document.getElementById("site-status");
  if (!status || !text) return;
  status.textContent = "";
  window.setTimeout(() => (status.textContent = text), 50);
}

/** A form's fields as a urlencoded body, as the browser would post them (with the button pressed). */
function formBody(form: HTMLFormElement, submitter?: HTMLButtonElement | HTMLInputElement | null): URLSearchParams {
  const body = new URLSearchParams();
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) || !el.name || el.disabled) continue;
    if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
    if (el instanceof HTMLInputElement && el.type === "submit") continue;
    body.append(el.name, el.value);
  }
  if (submitter?.name) body.append(submitter.name, submitter.value);
  return body;
}

const parse = (html: string) => new DOMParser().parseFromString(html, "text/html");

/** Fetches the page again and swaps in its server-rendered regions; regions it no longer has go. */
async function refreshRegions(): Promise<void> {
  const res = await fetch(window.location.href, { headers: { accept: "text/html" }, credentials: "same-origin", cache: "no-store" });
  const next = parse(await res.text());
  for (const region of Array.from(document.querySelectorAll<HTMLElement>("[data-region]"))) {
    const replacement = region.id ? next.getElementById(region.id) : null;
    if (replacement) region.replaceWith(document.importNode(replacement, true));
    else region.remove();
  }
}

/** Saves a cookie choice without leaving the page, then shows what the server now renders. */
async function saveCookies(form: HTMLFormElement, submitter: HTMLButtonElement | null): Promise<void> {
  const homeId = form.closest("[data-region]")?.id ?? "";
  const buttons = Array.from(form.querySelectorAll("button"));
  for (const b of buttons) b.disabled = true;
  const res = await fetch(form.action, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    credentials: "same-origin",
    body: formBody(form, submitter),
  });
  if (!res.ok) throw new Error(`status ${res.status}`);
  const answer = (await res.json()) as { cookies?: { functional: boolean; statistics: boolean } } | null;
  for (const name of ["functional", "statistics"] as const) {
    const box = form.querySelector<HTMLInputElement>(`input[name=${name}]`);
    if (box && answer?.cookies) box.checked = Boolean(answer.cookies[name]);
  }
  await refreshRegions();
  const status = document.getElementById("cookie-status");
  const saved = form.getAttribute("data-saved");
  if (status) status.textContent = saved;
  else announce(saved);
  if (!document.body.contains(form)) {
    const replaced = homeId ? document.getElementById(homeId) : null;
    focusOn(replaced ? (replaced.querySelector("h2") ?? replaced) : document.getElementById("main"));
  }
  for (const b of buttons) b.disabled = false;
}

/** Posts the sign-up and swaps in the section the server answers with. */
async function submitSignup(form: HTMLFormElement): Promise<void> {
  const region = document.getElementById("signup");
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  if (button) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  const res = await fetch(form.action, {
    method: "POST",
    headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
    credentials: "same-origin",
    body: formBody(form),
  });
  const next = parse(await res.text()).getElementById("signup");
  if (!next || !region) throw new Error(`status ${res.status}`);
  const inserted = document.importNode(next, true);
  region.replaceWith(inserted);
  const outcome = inserted.querySelector(".error-summary") ?? inserted.querySelector("[data-result]");
  if (outcome) {
    focusOn(outcome);
    announce(spoken(outcome));
  }
}

/** Posts the form the plain way, with the button that was pressed. */
function postNormally(form: HTMLFormElement, submitter: HTMLButtonElement | null): void {
  if (submitter?.name) {
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = submitter.name;
    hidden.value = submitter.value;
    form.appendChild(hidden);
  }
  form.submit();
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  if (form.hasAttribute("data-cookie-form")) {
    event.preventDefault();
    saveCookies(form, submitter).catch(() => postNormally(form, submitter));
  } else if (form.hasAttribute("data-signup")) {
    event.preventDefault();
    submitSignup(form).catch(() => {
      const failed = form.querySelector<HTMLElement>("[data-signup-status]");
      if (failed) {
        failed.textContent = form.getAttribute("data-failed") ?? "";
        focusOn(failed);
      }
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.disabled = false;
      form.removeAttribute("aria-busy");
    });
  }
});

startConfirmation();
