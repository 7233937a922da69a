import { createHash } from "node:crypto";

/**
 * The staff console's script, served from `GET /assets/staff-console.js` (the page's CSP allows only
 * same-origin scripts). Plain browser JavaScript with no dependencies but chart.js, which the page
 * loads first. It reads its settings and words from the page's `#console-data` JSON block.
 *
 * - **Sign-in.** With a Hosted UI: the authorization-code flow with PKCE (S256) and a `state`
 *   parameter, the code exchanged at the Hosted UI's `/oauth2/token` from the browser, the ID token
 *   kept in sessionStorage (it names the person for the audit log). Locally: a token from the local
 *   issuer, pasted or carried in the URL fragment (`/staff#token=…`, which never reaches a server and
 *   is removed from the address bar at once; only the local cloud takes it, so nobody can sign a
 *   colleague in as someone else with a link). Tokens never go into a query string or a log.
 * - **Every API call** carries `Authorization: Bearer <token>`; a 401 signs the person out.
 * - **Views:** charts per mission (chart.js, each with a text summary and a table of the same
 *   numbers for screen readers), announcements (list, compose with a debounced live preview in
 *   sandboxed frames, test send, send or schedule after a confirmation that states the audience,
 *   progress with pause, resume and cancel) and digest runs.
 *
 * Data from the API is only ever put into the page as text (`textContent`) or as a sandboxed
 * frame's `srcdoc`, never as markup.
 */
export const STAFF_CONSOLE_SCRIPT = String.raw`(function () {
  "use strict";
  var dataBlock = document.getElementById("console-data");
  if (!dataBlock || !window.fetch || !window.sessionStorage || !window.crypto || !window.crypto.subtle) return;
  var DATA = JSON.parse(dataBlock.textContent);
  var T = DATA.text;
  var LANG = DATA.language;
  var SIGN_IN = DATA.signIn;
  var LOCALE = LANG === "sv" ? "sv-SE" : "en-GB";
  var ZONE = "Europe/Stockholm";
  var SESSION_KEY = "mission-mail.staff.session";
  var PKCE_KEY = "mission-mail.staff.pkce";
  var LANGS = ["sv", "en"];
  var COUNTERS = ["audience", "sent", "failed", "bounced", "complained", "unsubscribed"];
  var ACTIVE_STATES = ["scheduled", "sending", "paused"];

  function $(id) { return document.getElementById(id); }
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) { return values[key] === undefined ? whole : String(values[key]); });
  }
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function number(n) { return new Intl.NumberFormat(LOCALE).format(n || 0); }
  function dateTime(iso) {
    if (!iso) return "";
    return new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  }
  function shortDay(day) {
    return new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", day: "numeric", month: "short" }).format(new Date(day + "T12:00:00Z"));
  }
  function wallTime(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
    if (!m) return value;
    return new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" }).format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5])));
  }
  function listOf(items) {
    if (items.length < 2) return items.join("");
    return items.slice(0, -1).join(", ") + (LANG === "sv" ? " och " : " and ") + items[items.length - 1];
  }

  var statusTimer;
  function say(text, isError) {
    var box = $(isError ? "console-alert" : "console-status");
    window.clearTimeout(statusTimer);
    $(isError ? "console-status" : "console-alert").textContent = "";
    box.textContent = "";
    window.setTimeout(function () { box.textContent = text; }, 40);
    statusTimer = window.setTimeout(function () { box.textContent = ""; }, isError ? 20000 : 10000);
  }
  function quiet() { window.clearTimeout(statusTimer); $("console-status").textContent = ""; $("console-alert").textContent = ""; }
  function focusOn(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(node.tagName)) node.setAttribute("tabindex", "-1");
    node.focus();
  }

  /* ---------- session ---------- */

  function base64UrlDecode(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var binary = atob(b64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  }
  function base64Url(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function randomText(size) { return base64Url(crypto.getRandomValues(new Uint8Array(size))); }
  function claimsOf(token) {
    try {
      var parts = token.split(".");
      if (parts.length !== 3) return null;
      var claims = JSON.parse(base64UrlDecode(parts[1]));
      return claims && typeof claims === "object" ? claims : null;
    } catch (e) {
      return null;
    }
  }
  function readSession() {
    try {
      var s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
      if (!s || !s.token) return null;
      if (s.exp && s.exp * 1000 < Date.now() + 5000) { sessionStorage.removeItem(SESSION_KEY); return null; }
      return s;
    } catch (e) {
      return null;
    }
  }
  function saveSession(token) {
    var claims = claimsOf(token);
    if (!claims) return false;
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: token, exp: claims.exp, who: claims.email || claims.sub || "" }));
    return true;
  }
  function clearSession() { sessionStorage.removeItem(SESSION_KEY); }

  /* ---------- the staff API ---------- */

  function ApiError(status, error) {
    this.status = status;
    this.code = (error && error.code) || "error";
    this.message = (error && error.message) || T.networkError;
    this.fields = (error && error.fields) || [];
  }
  function api(method, path, body) {
    var session = readSession();
    if (!session) { signedOut(T.sessionEnded); return Promise.reject(new ApiError(401, { code: "unauthorized", message: T.sessionEnded })); }
    var headers = { authorization: "Bearer " + session.token, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit" })
      .catch(function () { throw new ApiError(0, { code: "network", message: T.networkError }); })
      .then(function (res) {
        return res.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (res.status === 401) { signedOut(T.sessionEnded); throw new ApiError(401, json && json.error); }
          if (res.status === 403) { signedOut(T.forbidden); throw new ApiError(403, json && json.error); }
          if (!res.ok) throw new ApiError(res.status, json && json.error);
          return json;
        });
      });
  }
  function failed(err) {
    if (err && (err.status === 401 || err.status === 403)) return;
    say(err && err.message ? err.message : T.networkError, true);
  }

  /* ---------- sign-in ---------- */

  function signedOut(message) {
    clearSession();
    stopPolling();
    $("workspace").hidden = true;
    $("session").hidden = true;
    $("sign-in").hidden = false;
    var error = $("sign-in-error");
    error.textContent = message || "";
  }
  function signedIn(moveFocus) {
    var session = readSession();
    if (!session) return signedOut();
    $("sign-in").hidden = true;
    $("sign-in-error").textContent = "";
    $("workspace").hidden = false;
    $("session").hidden = false;
    var until = session.exp ? " " + fill(T.signedInUntil, { time: new Intl.DateTimeFormat(LOCALE, { timeStyle: "short" }).format(new Date(session.exp * 1000)) }) : "";
    $("session-who").textContent = fill(T.signedInAs, { who: session.who || "?" }) + until;
    if (!$("test-to").value && /@/.test(session.who || "")) $("test-to").value = session.who;
    var requested = (location.hash || "").replace(/^#/, "");
    showView(["overview", "announcements", "digests"].indexOf(requested) >= 0 ? requested : "overview", moveFocus);
    loadMissions();
  }
  function startHostedSignIn() {
    var verifier = randomText(48);
    var state = randomText(24);
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier: verifier, state: state, language: LANG }));
    crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)).then(function (hash) {
      var params = new URLSearchParams({
        response_type: "code",
        client_id: SIGN_IN.clientId,
        redirect_uri: SIGN_IN.redirectUri,
        scope: "openid email profile",
        state: state,
        code_challenge: base64Url(new Uint8Array(hash)),
        code_challenge_method: "S256",
        lang: LANG
      });
      location.assign(SIGN_IN.authDomain + "/oauth2/authorize?" + params.toString());
    });
  }
  function consoleHref(language) { return "/staff" + (language === "en" ? "?lang=en" : ""); }
  function finishHostedSignIn() {
    var query = new URLSearchParams(location.search);
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(PKCE_KEY) || "null"); } catch (e) { stored = null; }
    sessionStorage.removeItem(PKCE_KEY);
    var language = stored && stored.language === "en" ? "en" : LANG;
    history.replaceState(null, "", consoleHref(language));
    if (query.get("error")) return Promise.resolve(fill(T.signInFailed, { reason: query.get("error_description") || query.get("error") }));
    if (!stored || !query.get("code") || query.get("state") !== stored.state) return Promise.resolve(T.stateMismatch);
    var body = new URLSearchParams({
      grant_type: "authorization_code",
      client_id: SIGN_IN.clientId,
      code: query.get("code"),
      redirect_uri: SIGN_IN.redirectUri,
      code_verifier: stored.verifier
    });
    return fetch(SIGN_IN.authDomain + "/oauth2/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString(), credentials: "omit", cache: "no-store" })
      .then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (answer) {
        if (!answer.ok || !answer.json.id_token) return fill(T.signInFailed, { reason: (answer.json && (answer.json.error_description || answer.json.error)) || "?" });
        saveSession(answer.json.id_token);
        if (language !== LANG) { location.replace(consoleHref(language)); return "redirect"; }
        return null;
      })
      .catch(function () { return fill(T.signInFailed, { reason: T.networkError }); });
  }
  function takeFragmentToken() {
    var match = /(?:^#|&)token=([^&]+)/.exec(location.hash || "");
    if (!match) return false;
    history.replaceState(null, "", location.pathname + location.search);
    if (!SIGN_IN.local) return false;
    return saveSession(decodeURIComponent(match[1]));
  }

  /* ---------- views ---------- */

  var currentView = null;
  function showView(name, moveFocus) {
    currentView = name;
    Array.prototype.forEach.call(document.querySelectorAll("[data-view]"), function (link) {
      if (link.getAttribute("data-view") === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    ["overview", "announcements", "digests"].forEach(function (view) { $("view-" + view).hidden = view !== name; });
    if (location.hash !== "#" + name) history.replaceState(null, "", location.pathname + location.search + "#" + name);
    if (name === "overview") loadStats();
    if (name === "announcements") { if ($("editor").hidden) loadAnnouncements(); }
    if (name === "digests") loadRuns();
    if (moveFocus) focusOn($(name + "-title"));
  }

  /* ---------- missions ---------- */

  var missions = [];
  var missionsLoaded = null;
  function missionName(id) {
    for (var i = 0; i < missions.length; i++) if (missions[i].id === id) return missions[i].name[LANG] || id;
    return id;
  }
  function loadMissions() {
    if (missionsLoaded) return missionsLoaded;
    missionsLoaded = fetch("/api/missions", { headers: { accept: "application/json" }, credentials: "omit" })
      .then(function (res) { return res.json(); })
      .then(function (json) {
        missions = json.missions || [];
        var box = $("mission-choices");
        box.textContent = "";
        missions.forEach(function (m) {
          var id = "mission-" + m.id;
          box.appendChild(h("div", { className: "check" }, [
            h("input", { type: "checkbox", id: id, name: "missions", value: m.id }),
            h("label", { for: id, text: m.name[LANG] || m.id })
          ]));
        });
      })
      .catch(function (err) { missionsLoaded = null; failed(err); });
    return missionsLoaded;
  }

  /* ---------- overview: charts ---------- */

  var charts = [];
  var SERIES = [
    { key: "subscribers", axis: "y", color: "#0b4f8a", dash: [], fill: true },
    { key: "sent", axis: "y1", color: "#2a9d8f", dash: [6, 3] },
    { key: "bounced", axis: "y1", color: "#b35c00", dash: [2, 3] },
    { key: "complained", axis: "y1", color: "#b3261e", dash: [10, 4] },
    { key: "unsubscribed", axis: "y1", color: "#6b4fa0", dash: [4, 2, 1, 2] }
  ];
  function statsTable(mission) {
    var cols = ["day", "subscribers", "joined", "left", "sent", "bounced", "complained", "unsubscribed"];
    var head = h("tr", {}, cols.map(function (c) { return h("th", { scope: "col", className: c === "day" ? "" : "num", text: T.statColumns[c] }); }));
    var rows = mission.series.map(function (d) {
      return h("tr", {}, cols.map(function (c, i) {
        return i === 0 ? h("th", { scope: "row", text: d.day }) : h("td", { className: "num", text: String(d[c]) });
      }));
    });
    return h("div", { className: "visually-hidden" }, [h("table", { className: "data" }, [
      h("caption", { text: fill(T.chartCaption, { mission: mission.name[LANG] || mission.id }) }),
      h("thead", {}, [head]),
      h("tbody", {}, rows)
    ])]);
  }
  function renderCharts(data) {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var box = $("charts");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    if (!data.missions.length) { box.appendChild(h("p", { className: "empty", text: T.noMissions })); return; }
    data.missions.forEach(function (m) {
      var name = m.name[LANG] || m.id;
      var summary = fill(T.chartSummary, { mission: name, subscribers: number(m.subscribers), sent: number(m.totals.sent), bounced: number(m.totals.bounced), complained: number(m.totals.complained), unsubscribed: number(m.totals.unsubscribed) });
      var canvas = h("canvas", { role: "img", "aria-label": summary, id: "chart-" + m.id }, [summary]);
      var figures = h("ul", { className: "figures", "aria-hidden": "true" }, [
        h("li", {}, [h("strong", { text: number(m.subscribers) }), T.subscribersNow]),
        h("li", {}, [h("strong", { text: number(m.totals.sent) }), T.statColumns.sent]),
        h("li", {}, [h("strong", { text: number(m.totals.bounced) }), T.statColumns.bounced]),
        h("li", {}, [h("strong", { text: number(m.totals.complained) }), T.statColumns.complained]),
        h("li", {}, [h("strong", { text: number(m.totals.unsubscribed) }), T.statColumns.unsubscribed])
      ]);
      var card = h("section", { className: "chart-card", "aria-labelledby": "chart-title-" + m.id, "data-mission": m.id }, [
        h("h3", { id: "chart-title-" + m.id }, [name, m.status === "retired" ? " (" + T.retired + ")" : null]),
        figures,
        h("div", { className: "chart-box" }, [canvas]),
        statsTable(m)
      ]);
      box.appendChild(card);
      if (!window.Chart) return;
      charts.push(new window.Chart(canvas, {
        type: "line",
        data: {
          labels: m.series.map(function (d) { return shortDay(d.day); }),
          datasets: SERIES.map(function (s) {
            return {
              label: T.statColumns[s.key],
              data: m.series.map(function (d) { return d[s.key]; }),
              yAxisID: s.axis,
              borderColor: s.color,
              backgroundColor: s.fill ? "rgba(11, 79, 138, 0.10)" : s.color,
              borderDash: s.dash,
              borderWidth: s.key === "subscribers" ? 3 : 2,
              fill: Boolean(s.fill),
              tension: 0.25,
              pointRadius: m.series.length > 31 ? 0 : 2
            };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            y: { beginAtZero: true, position: "left", title: { display: true, text: T.statColumns.subscribers }, ticks: { precision: 0 } },
            y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: T.perDay }, ticks: { precision: 0 } },
            x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } }
          },
          plugins: { legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8 } } }
        }
      }));
    });
  }
  function loadStats() {
    var box = $("charts");
    box.setAttribute("aria-busy", "true");
    return api("GET", "/api/staff/stats?days=" + encodeURIComponent($("stats-days").value)).then(renderCharts).catch(failed);
  }

  /* ---------- announcements: list ---------- */

  function titleOf(a) { return (a.title && (a.title[LANG] || a.title.sv || a.title.en)) || T.untitled; }
  function badge(state) { return h("span", { className: "badge state-" + state, text: T.states[state] || state }); }
  function loadAnnouncements() {
    var box = $("announcement-list");
    box.setAttribute("aria-busy", "true");
    return Promise.all([api("GET", "/api/staff/announcements?limit=50"), loadMissions()]).then(function (results) {
      var list = results[0].announcements || [];
      box.textContent = "";
      box.removeAttribute("aria-busy");
      if (!list.length) { box.appendChild(h("p", { className: "empty", text: T.noAnnouncements })); return; }
      var cols = T.columns;
      box.appendChild(h("table", { className: "data", id: "announcement-table" }, [
        h("caption", { text: T.announcementsCaption }),
        h("thead", {}, [h("tr", {}, [
          h("th", { scope: "col", text: cols.title }), h("th", { scope: "col", text: cols.missions }), h("th", { scope: "col", text: cols.state }),
          h("th", { scope: "col", className: "num", text: cols.progress }), h("th", { scope: "col", text: cols.created }), h("th", { scope: "col", text: cols.actions })
        ])]),
        h("tbody", {}, list.map(function (a) {
          var title = titleOf(a);
          var button = h("button", { type: "button", className: "secondary small", "data-open": a.id, "aria-label": fill(T.openNamed, { title: title }), text: T.open });
          button.addEventListener("click", function () { openAnnouncement(a.id); });
          var counters = a.counters || {};
          return h("tr", { "data-announcement": a.id }, [
            h("th", { scope: "row", text: title }),
            h("td", { text: (a.missions || []).map(missionName).join(", ") }),
            h("td", {}, [badge(a.state)]),
            h("td", { className: "num", text: a.state === "draft" || a.state === "scheduled" ? "–" : number(counters.sent) + " / " + number(counters.audience) }),
            h("td", { text: dateTime(a.createdAt) }),
            h("td", {}, [button])
          ]);
        }))
      ]));
    }).catch(function (err) { box.removeAttribute("aria-busy"); failed(err); });
  }

  /* ---------- announcements: compose and preview ---------- */

  var current = null;
  var dirty = false;
  function value(id) { return $(id).value.trim(); }
  function draftFromForm() {
    var draft = { title: {}, body: {}, missions: [] };
    LANGS.forEach(function (l) {
      if (value("title-" + l)) draft.title[l] = value("title-" + l);
      if (value("body-" + l)) draft.body[l] = value("body-" + l);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#mission-choices input:checked"), function (box) { draft.missions.push(box.value); });
    if (value("event-date") || value("event-time") || value("event-place")) {
      draft.event = { date: value("event-date") };
      if (value("event-time")) draft.event.time = value("event-time");
      if (value("event-place")) draft.event.place = value("event-place");
    }
    if (value("cta-label-sv") || value("cta-label-en") || value("cta-url")) {
      draft.cta = { label: {}, url: value("cta-url") };
      LANGS.forEach(function (l) { if (value("cta-label-" + l)) draft.cta.label[l] = value("cta-label-" + l); });
    }
    return draft;
  }
  function fillForm(a) {
    LANGS.forEach(function (l) {
      $("title-" + l).value = (a && a.title && a.title[l]) || "";
      $("body-" + l).value = (a && a.body && a.body[l]) || "";
      $("cta-label-" + l).value = (a && a.cta && a.cta.label && a.cta.label[l]) || "";
    });
    $("event-date").value = (a && a.event && a.event.date) || "";
    $("event-time").value = (a && a.event && a.event.time) || "";
    $("event-place").value = (a && a.event && a.event.place) || "";
    $("cta-url").value = (a && a.cta && a.cta.url) || "";
    Array.prototype.forEach.call(document.querySelectorAll("#mission-choices input"), function (box) {
      box.checked = Boolean(a && a.missions && a.missions.indexOf(box.value) >= 0);
    });
  }
  var FIELD_IDS = {
    "title.sv": "title-sv", "title.en": "title-en", "title": "title-sv", "body.sv": "body-sv", "body.en": "body-en", "body": "body-sv",
    "missions": "missions-fieldset", "event": "event-date", "event.date": "event-date", "event.time": "event-time", "event.place": "event-place",
    "cta": "cta-url", "cta.url": "cta-url", "cta.label": "cta-label-sv", "cta.label.sv": "cta-label-sv", "cta.label.en": "cta-label-en"
  };
  function fieldIdFor(path) {
    var p = String(path || "");
    while (p && !FIELD_IDS[p]) p = p.replace(/\.?[^.]*$/, "");
    return FIELD_IDS[p] || null;
  }
  function clearErrors() {
    var summary = $("compose-errors");
    summary.hidden = true;
    summary.textContent = "";
    Array.prototype.forEach.call(document.querySelectorAll("#compose-form .has-error"), function (f) { f.classList.remove("has-error"); });
    Array.prototype.forEach.call(document.querySelectorAll("#compose-form .field-error"), function (e) { e.remove(); });
    Array.prototype.forEach.call(document.querySelectorAll("#compose-form [aria-invalid]"), function (e) { e.removeAttribute("aria-invalid"); });
  }
  function showErrors(err) {
    clearErrors();
    var summary = $("compose-errors");
    var problems = err.fields && err.fields.length ? err.fields : [{ field: "", message: err.message }];
    var items = problems.map(function (p) {
      var id = fieldIdFor(p.field);
      var target = id && $(id);
      if (target) {
        var field = target.closest(".field") || target;
        field.classList.add("has-error");
        if (target.tagName !== "FIELDSET") target.setAttribute("aria-invalid", "true");
        var where = target.tagName === "FIELDSET" ? target.querySelector("legend") : field.querySelector("label");
        if (where) where.insertAdjacentElement("afterend", h("p", { className: "field-error", text: p.message }));
      }
      var link = target ? h("a", { href: "#" + id, text: p.message }) : h("span", { text: p.message });
      if (target) link.addEventListener("click", function (e) { e.preventDefault(); var input = target.tagName === "FIELDSET" ? target.querySelector("input") : target; if (input) input.focus(); });
      return h("li", {}, [link]);
    });
    summary.appendChild(h("h2", { text: T.fixErrors }));
    summary.appendChild(h("ul", {}, items));
    summary.hidden = false;
    focusOn(summary);
  }
  var previewTimer;
  var previewSeq = 0;
  function hasContent(draft) {
    return LANGS.some(function (l) { return draft.title[l] && draft.body[l]; });
  }
  function schedulePreview(delay) {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(updatePreview, delay === undefined ? 600 : delay);
  }
  function clearPreview(message) {
    $("preview-status").textContent = message;
    LANGS.forEach(function (l) {
      $("preview-" + l + "-subject").textContent = "";
      $("preview-" + l + "-note").hidden = true;
      $("preview-" + l + "-desktop").srcdoc = "";
      $("preview-" + l + "-mobile").srcdoc = "";
    });
  }
  function updatePreview() {
    var draft = draftFromForm();
    var seq = ++previewSeq;
    if (!hasContent(draft)) { clearPreview(T.previewEmpty); return Promise.resolve(); }
    $("preview-status").textContent = T.previewUpdating;
    $("preview-title").closest("section").setAttribute("aria-busy", "true");
    return Promise.all(LANGS.map(function (l) { return api("POST", "/api/staff/announcements/preview?lang=" + l, draft); }))
      .then(function (previews) {
        if (seq !== previewSeq) return;
        previews.forEach(function (p, i) {
          var l = LANGS[i];
          $("preview-" + l + "-subject").textContent = T.subject + ": " + p.subject;
          var note = $("preview-" + l + "-note");
          note.hidden = !p.fallback;
          note.textContent = p.fallback ? fill(T.previewFallback, { language: T.languages[l] }) : "";
          $("preview-" + l + "-desktop").srcdoc = p.html;
          $("preview-" + l + "-mobile").srcdoc = p.html;
        });
        $("preview-status").textContent = T.previewUpdated;
      })
      .catch(function (err) {
        if (seq !== previewSeq || err.status === 401 || err.status === 403) return;
        $("preview-status").textContent = fill(T.previewFailed, { reason: err.message });
      })
      .then(function () { $("preview-title").closest("section").removeAttribute("aria-busy"); });
  }
  function editable(a) { return !a || a.state === "draft" || a.state === "scheduled"; }
  function showEditor(a) {
    current = a;
    dirty = false;
    clearErrors();
    $("announcement-index").hidden = true;
    $("editor").hidden = false;
    $("editor-heading").textContent = a ? fill(T.editHeading, { title: titleOf(a) }) : T.newHeading;
    $("compose-fields").disabled = !editable(a);
    renderSendState();
  }
  function newAnnouncement() {
    stopPolling();
    return loadMissions().then(function () {
      fillForm(null);
      showEditor(null);
      clearPreview(T.previewEmpty);
      focusOn($("editor-heading"));
    });
  }
  function openAnnouncement(id) {
    stopPolling();
    return Promise.all([api("GET", "/api/staff/announcements/" + encodeURIComponent(id)), loadMissions()]).then(function (results) {
      var a = results[0];
      fillForm(a);
      showEditor(a);
      if (!editable(a)) say(T.savedReadOnly);
      focusOn($("editor-heading"));
      schedulePreview(0);
      if (ACTIVE_STATES.indexOf(a.state) >= 0) pollProgress();
    }).catch(failed);
  }
  function backToList() {
    stopPolling();
    current = null;
    $("editor").hidden = true;
    $("announcement-index").hidden = false;
    loadAnnouncements();
    focusOn($("announcements-title"));
  }
  function saveDraft() {
    clearErrors();
    var draft = draftFromForm();
    var request = current
      ? api("PUT", "/api/staff/announcements/" + encodeURIComponent(current.id), Object.assign({}, draft, { version: current.version }))
      : api("POST", "/api/staff/announcements", draft);
    return request.then(function (a) {
      current = a;
      dirty = false;
      $("editor-heading").textContent = fill(T.editHeading, { title: titleOf(a) });
      renderSendState();
      say(T.saved);
      return a;
    }, function (err) {
      if (err.status === 400 || err.status === 422) showErrors(err);
      else failed(err);
      throw err;
    });
  }

  /* ---------- announcements: test, send, progress ---------- */

  function renderSendState() {
    var a = current;
    $("send-hint").textContent = T.saveFirst;
    $("send-card").hidden = !editable(a);
    renderProgress(a);
  }
  function renderProgress(a) {
    var card = $("progress-card");
    if (!a || a.state === "draft") { card.hidden = true; return; }
    card.hidden = false;
    var state = $("progress-state");
    state.className = "badge state-" + a.state;
    state.textContent = T.states[a.state] || a.state;
    var c = a.counters || {};
    var done = (c.sent || 0) + (c.failed || 0) + (c.skipped || 0);
    var total = c.audience || 0;
    var bar = $("send-progress");
    bar.hidden = a.state === "scheduled";
    bar.max = Math.max(total, 1);
    bar.value = Math.min(done, bar.max);
    var percent = total ? Math.floor((Math.min(done, total) / total) * 100) : a.state === "done" ? 100 : 0;
    $("progress-text").textContent = a.state === "scheduled" || (a.state === "sending" && !total) ? T.progressWaiting : fill(T.progressText, { done: number(done), audience: number(total), percent: percent });
    bar.setAttribute("aria-valuetext", $("progress-text").textContent);
    var scheduled = $("scheduled-for");
    scheduled.hidden = a.state !== "scheduled";
    scheduled.textContent = a.state === "scheduled" ? fill(T.scheduledFor, { when: wallTime(a.scheduledFor) }) : "";
    var reason = $("paused-reason");
    var paused = a.state === "paused" && a.pausedReason;
    reason.hidden = !paused;
    reason.textContent = paused ? (a.pausedReason.code === "manual"
      ? fill(T.pausedManually, { who: (a.pausedReason.by && (a.pausedReason.by.email || a.pausedReason.by.sub)) || "?" })
      : fill(T.pausedBecause, { reason: (T.autoPause && T.autoPause[a.pausedReason.code]) || a.pausedReason.message })) : "";
    var list = $("counters");
    list.textContent = "";
    COUNTERS.forEach(function (key) {
      list.appendChild(h("div", { "data-counter": key }, [h("dt", { text: T.counters[key] }), h("dd", { text: number(c[key]) })]));
    });
    $("pause").hidden = a.state !== "sending";
    $("resume").hidden = a.state !== "paused";
    $("cancel").hidden = ACTIVE_STATES.indexOf(a.state) < 0;
  }
  var pollTimer;
  function stopPolling() { window.clearTimeout(pollTimer); pollTimer = undefined; }
  function pollProgress() {
    stopPolling();
    if (!current) return;
    var id = current.id;
    pollTimer = window.setTimeout(function () {
      api("GET", "/api/staff/announcements/" + encodeURIComponent(id)).then(function (a) {
        if (!current || current.id !== id) return;
        var was = current.state;
        current = a;
        if (was !== a.state) renderSendState();
        else renderProgress(a);
        if (was !== a.state && (a.state === "done" || a.state === "paused" || a.state === "cancelled")) say(T.states[a.state] + ": " + $("progress-text").textContent);
        if (ACTIVE_STATES.indexOf(a.state) >= 0) pollProgress();
      }).catch(function (err) { failed(err); if (err.status !== 401 && err.status !== 403) pollProgress(); });
    }, current.state === "sending" ? 1000 : 4000);
  }
  function testSend(event) {
    event.preventDefault();
    var error = $("test-error");
    error.textContent = "";
    var to = $("test-to").value.split(/[,;\s]+/).map(function (s) { return s.trim(); }).filter(Boolean);
    if (!to.length) { error.textContent = T.testEmpty; $("test-to").focus(); return; }
    var ready = dirty || !current ? saveDraft() : Promise.resolve(current);
    var button = $("send-test");
    button.disabled = true;
    ready.then(function (a) {
      return api("POST", "/api/staff/announcements/" + encodeURIComponent(a.id) + "/test", { to: to });
    }).then(function () {
      say(fill(T.testSent, { to: listOf(to) }));
    }).catch(function (err) {
      if (err.status === 401 || err.status === 403) return;
      if (err.fields && err.fields.length && !/^(title|body|missions|event|cta)/.test(err.fields[0].field)) error.textContent = err.fields.map(function (f) { return f.message; }).join(" ");
      else if (err.status !== 400 && err.status !== 422) error.textContent = err.message;
    }).then(function () { button.disabled = false; });
  }
  function stockholmNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  }
  function reviewSend(event) {
    event.preventDefault();
    var error = $("send-error");
    error.textContent = "";
    var later = $("send-later").checked;
    var at = $("send-at").value;
    if (later && !at) { error.textContent = T.whenMissing; $("send-at").focus(); return; }
    var ready = dirty || !current ? saveDraft() : Promise.resolve(current);
    var button = $("review-send");
    button.disabled = true;
    say(T.audienceLoading);
    ready.then(function (a) {
      return api("GET", "/api/staff/announcements/" + encodeURIComponent(a.id));
    }).then(function (a) {
      current = a;
      quiet();
      var audience = (a.counters && a.counters.audience) || 0;
      if (!audience && !later) { error.textContent = T.noAudience; return; }
      var names = listOf(a.missions.map(missionName));
      return confirmAction({
        title: later ? T.confirmScheduleTitle : T.confirmSendTitle,
        text: fill(later ? T.confirmScheduleText : T.confirmSendText, { audience: number(audience), missions: names, when: wallTime(at) }),
        yes: later ? T.confirmScheduleYes : fill(T.confirmSendYes, { audience: number(audience) })
      }).then(function (ok) {
        if (!ok) { button.focus(); return; }
        return api("POST", "/api/staff/announcements/" + encodeURIComponent(a.id) + "/send", later ? { at: at } : {}).then(function (view) {
          current = view;
          renderSendState();
          say(later ? fill(T.scheduled, { when: wallTime(at) }) : T.sendStarted);
          focusOn($("progress-title"));
          pollProgress();
        });
      });
    }).catch(function (err) {
      if (err.status === 401 || err.status === 403) return;
      quiet();
      if (err.fields && err.fields.length && err.fields[0].field === "at") error.textContent = err.fields[0].message;
      else if (err.status !== 400 && err.status !== 422) error.textContent = err.message;
      else if (!err.fields || !err.fields.length) error.textContent = err.message;
    }).then(function () { button.disabled = false; });
  }
  function control(action) {
    if (!current) return;
    var id = current.id;
    var go = function () {
      return api("POST", "/api/staff/announcements/" + encodeURIComponent(id) + "/" + action, {}).then(function (view) {
        current = view;
        renderSendState();
        say(action === "pause" ? T.paused : action === "resume" ? T.resumed : T.cancelled);
        var next = action === "pause" ? $("resume") : action === "resume" ? $("pause") : $("progress-title");
        focusOn(next && !next.hidden ? next : $("progress-title"));
        if (ACTIVE_STATES.indexOf(view.state) >= 0) pollProgress();
      }).catch(failed);
    };
    if (action !== "cancel") return go();
    return confirmAction({ title: T.confirmCancelTitle, text: T.confirmCancelText, yes: T.confirmCancelYes }).then(function (ok) {
      if (ok) return go();
      $("cancel").focus();
    });
  }

  /* ---------- digests ---------- */

  var runsTimer;
  function loadRuns() {
    window.clearTimeout(runsTimer);
    var box = $("run-list");
    box.setAttribute("aria-busy", "true");
    return api("GET", "/api/staff/runs?limit=20").then(function (json) {
      var runs = json.runs || [];
      box.textContent = "";
      box.removeAttribute("aria-busy");
      if (!runs.length) { box.appendChild(h("p", { className: "empty", text: T.noRuns })); return; }
      var c = T.runColumns;
      var numeric = ["planned", "sent", "skipped", "failed"];
      box.appendChild(h("table", { className: "data", id: "run-table" }, [
        h("caption", { text: T.runsCaption }),
        h("thead", {}, [h("tr", {}, ["period", "cadence", "state", "planned", "sent", "skipped", "failed", "created"].map(function (k) {
          return h("th", { scope: "col", className: numeric.indexOf(k) >= 0 ? "num" : "", text: c[k] });
        }))]),
        h("tbody", {}, runs.reduce(function (rows, r) {
          rows.push(h("tr", { "data-run": r.runId }, [
            h("th", { scope: "row", text: r.period }),
            h("td", { text: T.cadences[r.cadence] || r.cadence }),
            h("td", {}, [badge(r.state)]),
            h("td", { className: "num", text: number(r.planned) }),
            h("td", { className: "num", text: number(r.sent) }),
            h("td", { className: "num", text: number(r.skipped) }),
            h("td", { className: "num", text: number(r.failed) }),
            h("td", { text: dateTime(r.createdAt) })
          ]));
          // Why a run failed, and the items it left out, on a line of their own under the run.
          var notes = (r.error ? [fill(T.runError, { error: r.error })] : []).concat((r.warnings || []).map(function (w) {
            return fill(T.runItemLeftOut, { item: w.itemId, version: w.version, reason: w.reason });
          }));
          if (notes.length) rows.push(h("tr", { className: "run-notes", "data-run-notes": r.runId }, [
            h("td", { colspan: 8 }, [h("ul", {}, notes.map(function (note) { return h("li", { text: note }); }))])
          ]));
          return rows;
        }, []))
      ]));
      var busy = runs.some(function (r) { return ["queued", "planning", "sending"].indexOf(r.state) >= 0; });
      if (busy && currentView === "digests") runsTimer = window.setTimeout(loadRuns, 2000);
    }).catch(function (err) { box.removeAttribute("aria-busy"); failed(err); });
  }
  function runDigest(cadence, button) {
    var name = T.digestNames[cadence];
    return confirmAction({ title: fill(T.confirmDigestTitle, { cadence: name }), text: fill(T.confirmDigestText, { cadence: name }), yes: T.confirmDigestYes }).then(function (ok) {
      if (!ok) { button.focus(); return; }
      return api("POST", "/api/staff/digests/run", { cadence: cadence }).then(function () {
        say(T.digestStarted);
        button.focus();
        return loadRuns();
      }).catch(failed);
    });
  }

  /* ---------- confirmation ---------- */

  function confirmAction(options) {
    var dialog = $("confirm-dialog");
    $("confirm-title").textContent = options.title;
    $("confirm-text").textContent = options.text;
    $("confirm-yes").textContent = options.yes;
    return new Promise(function (resolve) {
      var settle = function (answer) {
        $("confirm-yes").removeEventListener("click", yes);
        $("confirm-no").removeEventListener("click", no);
        dialog.removeEventListener("close", closed);
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      var yes = function () { settle(true); };
      var no = function () { settle(false); };
      var closed = function () { settle(false); };
      $("confirm-yes").addEventListener("click", yes);
      $("confirm-no").addEventListener("click", no);
      dialog.addEventListener("close", closed);
      dialog.showModal();
      $("confirm-no").focus();
    });
  }

  /* ---------- wiring ---------- */

  Array.prototype.forEach.call(document.querySelectorAll("[data-view]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var view = link.getAttribute("data-view");
      if (view === "announcements" && !$("editor").hidden) { stopPolling(); $("editor").hidden = true; $("announcement-index").hidden = false; }
      showView(view, true);
    });
  });
  $("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var token = $("token-input").value.trim();
    $("token-input").value = "";
    if (!token) { $("sign-in-error").textContent = T.tokenEmpty; $("token-input").focus(); return; }
    if (!saveSession(token)) { $("sign-in-error").textContent = fill(T.signInFailed, { reason: "JWT?" }); $("token-input").focus(); return; }
    api("GET", "/api/staff/runs?limit=1").then(function () { signedIn(true); }).catch(function (err) {
      if (err.status === 401 || err.status === 403) { $("token-input").focus(); return; }
      failed(err);
    });
  });
  if ($("sign-in-hosted")) $("sign-in-hosted").addEventListener("click", startHostedSignIn);
  $("sign-out").addEventListener("click", function (event) {
    clearSession();
    if (!SIGN_IN.authDomain) { event.preventDefault(); signedOut(); focusOn($("sign-in-title")); }
  });
  $("stats-days").addEventListener("change", loadStats);
  $("new-announcement").addEventListener("click", newAnnouncement);
  $("back-to-list").addEventListener("click", backToList);
  $("compose-form").addEventListener("input", function () { dirty = true; schedulePreview(); });
  $("compose-form").addEventListener("change", function () { dirty = true; schedulePreview(); });
  $("compose-form").addEventListener("submit", function (event) { event.preventDefault(); saveDraft().catch(function () { return undefined; }); });
  $("test-form").addEventListener("submit", testSend);
  $("send-form").addEventListener("submit", reviewSend);
  $("send-form").addEventListener("change", function () {
    var later = $("send-later").checked;
    $("send-at-field").hidden = !later;
    if (later) $("send-at").min = stockholmNow();
  });
  $("pause").addEventListener("click", function () { control("pause"); });
  $("resume").addEventListener("click", function () { control("resume"); });
  $("cancel").addEventListener("click", function () { control("cancel"); });
  $("run-weekly").addEventListener("click", function () { runDigest("weekly", $("run-weekly")); });
  $("run-monthly").addEventListener("click", function () { runDigest("monthly", $("run-monthly")); });
  window.addEventListener("hashchange", function () {
    if (takeFragmentToken()) { signedIn(true); return; }
    var view = (location.hash || "").replace(/^#/, "");
    if (readSession() && ["overview", "announcements", "digests"].indexOf(view) >= 0 && view !== currentView) showView(view, true);
  });

  var fromFragment = takeFragmentToken();
  var start = location.pathname === "/staff/callback" && SIGN_IN.authDomain ? finishHostedSignIn() : Promise.resolve(null);
  start.then(function (problem) {
    if (problem === "redirect") return;
    if (problem) return signedOut(problem);
    if (readSession()) return signedIn(false);
    signedOut(fromFragment ? T.sessionEnded : "");
  });
})();
`;

/** A short hash of the script, so the page can reference it with a long cache lifetime. */
export const STAFF_CONSOLE_SCRIPT_VERSION = createHash("sha256").update(STAFF_CONSOLE_SCRIPT).digest("hex").slice(0, 12);

/** Where the console loads the script from; the version changes whenever the script does. */
export const STAFF_CONSOLE_SCRIPT_PATH = `/assets/staff-console.js?v=${STAFF_CONSOLE_SCRIPT_VERSION}`;
