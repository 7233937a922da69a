/**
 * One-step confirmation on the page a confirmation link opens (`[data-confirm]`). Following the link
 * changes nothing, so link scanners confirm no one: only once the page is in a person's view
 * (`document.visibilityState` is `visible`, at once or on a later `visibilitychange`) does this post
 * the token, as JSON to the same route the page's button posts to, and show the outcome in place:
 * confirmed, already confirmed, or a link that expired or is not valid. The heading and the live
 * region say it. If the request fails, the button stays for the person to try.
 */

type Outcome = { title: string; text: string; error?: boolean };

interface ConfirmAnswer {
  status?: string;
  alreadyConfirmed?: boolean;
  error?: { code?: string };
}

/** What the page says for the server's answer; undefined when it is no answer about the link (try the button). */
function outcomeOf(root: HTMLElement, status: number, answer: ConfirmAnswer | null): Outcome | undefined {
  const d = root.dataset;
  if (status === 200 && answer?.status === "active") {
    return answer.alreadyConfirmed ? { title: d.alreadyTitle ?? "", text: d.already ?? "" } : { title: d.doneTitle ?? "", text: d.done ?? "" };
  }
  const code = answer?.error?.code;
  if (code === "token_expired") return { title: d.failedTitle ?? "", text: d.expired ?? "", error: true };
  if (code === "invalid_token") return { title: d.failedTitle ?? "", text: d.invalid ?? "", error: true };
  return undefined;
}

async function confirmNow(root: HTMLElement): Promise<void> {
  const form = root.querySelector("form");
  const result = root.querySelector<HTMLElement>("[data-confirm-result]");
  const token = form?.querySelector<HTMLInputElement>("input[name=token]")?.value;
  if (!form || !result || !token) return;
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  result.textContent = root.dataset.working ?? "";
  let outcome: Outcome | undefined;
  try {
    const res = await fetch(form.action, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ token }),
    });
    outcome = outcomeOf(root, res.status, (await res.json().catch(() => null)) as ConfirmAnswer | null);
  } catch {
    outcome = undefined;
  }
  form.removeAttribute("aria-busy");
  if (!outcome) {
    if (button) button.disabled = false;
    result.textContent = root.dataset.retry ?? "";
    return;
  }
  form.remove();
  root.querySelector("[data-confirm-intro]")?.remove();
  const heading = root.querySelector("h1");
  if (heading) heading.textContent = outcome.title;
  const site = document.title.indexOf(" – ");
  document.title = site >= 0 ? `${outcome.title}${document.title.slice(site)}` : outcome.title;
  result.classList.toggle("error", Boolean(outcome.error));
  result.textContent = outcome.text;
}

/** Confirms once the page is visible to a person: now, or when it first becomes visible. */
export function startConfirmation(): void {
  const root = document.querySelector<HTMLElement>("[data-confirm]");
  if (!root) return;
  let started = false;
  const go = () => {
    if (started || document.visibilityState !== "visible") return;
    started = true;
    document.removeEventListener("visibilitychange", go);
    void confirmNow(root);
  };
  document.addEventListener("visibilitychange", go);
  go();
}
