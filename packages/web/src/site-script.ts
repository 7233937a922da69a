import { createHash } from "node:crypto";

/**
 * The site's only script, served from `GET /assets/site.js` (the pages' CSP allows same-origin
 * scripts, never inline ones). It is progressive enhancement only: every form it takes over posts
 * and works without it.
 *
 * - Cookie forms (`data-cookie-form`) save the choice with fetch (the server answers JSON and sets the
 *   cookie), then the page's server-rendered regions (`data-region`: the banner, the sign-up section,
 *   the settings summary) are fetched again and swapped in, so the server alone decides whether the
 *   sign-up widget or the notice applies.
 * - The sign-up form (`data-signup`) posts with fetch to the same form route and swaps in the sign-up
 *   section of the answer: the confirmation, or the form with its errors. Focus moves to the error
 *   summary or the result, and the outcome is announced. If fetch fails, the form is posted normally.
 */
export const SITE_SCRIPT = `(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !document.querySelector) return;

  function announce(text) {
    var status = document.getElementById("site-status");
    if (!status || !text) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function formBody(form, submitter) {
    var body = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.type === "submit" || el.tagName === "BUTTON") return;
      body.append(el.name, el.value);
    });
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    return body;
  }

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function focusOn(el) {
    if (!el) return;
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus();
  }

  function refreshRegions() {
    return fetch(window.location.href, { headers: { accept: "text/html" }, credentials: "same-origin", cache: "no-store" })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var next = parse(html);
        Array.prototype.forEach.call(document.querySelectorAll("[data-region]"), function (region) {
          var replacement = region.id ? next.getElementById(region.id) : null;
          if (replacement) region.replaceWith(document.importNode(replacement, true));
          else region.remove();
        });
      });
  }

  function saveCookies(form, submitter) {
    var home = form.closest("[data-region]");
    var homeId = home ? home.id : "";
    var buttons = form.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    return fetch(form.action, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      credentials: "same-origin",
      body: formBody(form, submitter)
    }).then(function (res) {
      if (!res.ok) throw new Error("status " + res.status);
      return res.json();
    }).then(function (answer) {
      ["functional", "statistics"].forEach(function (name) {
        var box = form.querySelector("input[name=" + name + "]");
        if (box && answer && answer.cookies) box.checked = !!answer.cookies[name];
      });
      return refreshRegions();
    }).then(function () {
      var status = document.getElementById("cookie-status");
      var saved = form.getAttribute("data-saved");
      if (status) status.textContent = saved;
      else announce(saved);
      if (!document.body.contains(form)) {
        var replaced = homeId ? document.getElementById(homeId) : null;
        focusOn(replaced ? replaced.querySelector("h2") || replaced : document.getElementById("main"));
      }
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    });
  }

  function submitSignup(form) {
    var region = document.getElementById("signup");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    return fetch(form.action, {
      method: "POST",
      headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      credentials: "same-origin",
      body: formBody(form)
    }).then(function (res) {
      return res.text().then(function (html) {
        var next = parse(html).getElementById("signup");
        if (!next || !region) throw new Error("status " + res.status);
        var inserted = document.importNode(next, true);
        region.replaceWith(inserted);
        var summary = inserted.querySelector(".error-summary");
        var result = inserted.querySelector("[data-result]");
        if (summary) { focusOn(summary); announce(summary.textContent.replace(/\\s+/g, " ").trim()); }
        else if (result) { focusOn(result); announce(result.textContent.replace(/\\s+/g, " ").trim()); }
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = event.submitter || null;
    if (form.hasAttribute("data-cookie-form")) {
      event.preventDefault();
      saveCookies(form, submitter).catch(function () {
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      });
    } else if (form.hasAttribute("data-signup")) {
      event.preventDefault();
      submitSignup(form).catch(function () {
        var failed = form.querySelector("[data-signup-status]");
        if (failed) { failed.textContent = form.getAttribute("data-failed") || ""; focusOn(failed); }
        var button = form.querySelector("button[type=submit]");
        if (button) button.disabled = false;
        form.removeAttribute("aria-busy");
      });
    }
  });
})();
`;

/** A short hash of the script, so pages can reference it with a long cache lifetime. */
export const SITE_SCRIPT_VERSION = createHash("sha256").update(SITE_SCRIPT).digest("hex").slice(0, 12);

/** Where pages load the script from; the version changes whenever the script does. */
export const SITE_SCRIPT_PATH = `/assets/site.js?v=${SITE_SCRIPT_VERSION}`;
