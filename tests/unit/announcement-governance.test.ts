import { describe, expect, it } from "vitest";
import {
  GMAIL_CLIP_BYTES,
  approvalStatus,
  checkAnnouncement,
  checkAudience,
  checkHtmlSize,
  checkImageAlt,
  checkLanguagesMissing,
  checkLinkReachability,
  checkLinkSafety,
  checkSubjectLength,
  createAnnouncement,
  editAnnouncement,
  getAnnouncement,
  imagesIn,
  linkProblem,
  linksIn,
  refuseAnnouncement,
  reviewAnnouncement,
  sendAnnouncement,
  type AnnouncementDeps,
  type CompileAnnouncement,
  type LinkProbe,
  type LinkProbeResult,
} from "../../packages/core/src/announcements";
import { FetchLinkProbe, OfflineLinkProbe } from "../../packages/core/src/announcements/fetch-link-probe";
import { AppError } from "../../packages/core/src/shared/errors";
import type { PlanJob } from "../../packages/core/src/shared/jobs";
import { hasRole, isStaff } from "../../packages/core/src/staff";
import { requireStaff, shortcutIdentity } from "../../packages/functions/src/lib/staff-auth";
import { ROUTES, isStaffRoute, staffRoleOf } from "../../packages/functions/src/routes";
import { MemoryAnnouncements, MemoryAuditLog, RecordingQueue, RecordingScheduler, UlidIds, world } from "../fakes";

const anna = { sub: "anna", email: "anna@example.org", groups: ["staff"] };
const pia = { sub: "pia", email: "pia@example.org", groups: ["publisher"] };
const bo = { sub: "bo", email: "bo@example.org", groups: ["staff", "publisher"] };
const annaPublisher = { ...anna, groups: ["staff", "publisher"] };
const draft = {
  title: { sv: "Välkommen till lanseringen av Missions Playbook", en: "Join the launch of the Missions Playbook" },
  body: { sv: "Läs mer på [sidan](https://missions.example.org/playbook).", en: "Read more on [the page](https://missions.example.org/playbook)." },
  missions: ["food-system"],
};
const compile: CompileAnnouncement = async (spec, language) => ({ subject: spec.content.title[spec.contentLanguage]!, html: `<html lang="${language}"><p>${spec.content.body[spec.contentLanguage]}</p>{{unsubscribeUrl}}</html>`, text: "x" });

function setup(threshold = 2, probe?: LinkProbe) {
  const w = world();
  const announcements = new MemoryAnnouncements(w.outbox);
  const audit = new MemoryAuditLog();
  const scheduler = new RecordingScheduler();
  const deps: AnnouncementDeps = {
    announcements,
    store: w.store,
    outbox: w.outbox,
    planQueue: new RecordingQueue<PlanJob>(),
    sendQueue: w.mailQueue,
    scheduler,
    audit,
    clock: w.clock,
    ids: new UlidIds(),
    compile,
    publicUrl: "https://missions.example.org",
    approvalThreshold: threshold,
  };
  return { w, deps, audit, scheduler, announcements, checking: { ...deps, links: probe ?? new OfflineLinkProbe() } };
}
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};
const audience = (w: ReturnType<typeof world>, sv: number, en: number) => {
  for (let i = 0; i < sv; i++) w.active(`sv${i}`);
  for (let i = 0; i < en; i++) w.active(`en${i}`, { language: "en" });
};

describe("roles", () => {
  it("gives publishers everything staff may do, and the publisher role only to the publisher group", () => {
    expect(hasRole(anna, "staff")).toBe(true);
    expect(hasRole(anna, "publisher")).toBe(false);
    expect(hasRole(pia, "staff")).toBe(true);
    expect(hasRole(pia, "publisher")).toBe(true);
    expect(isStaff({ sub: "x", groups: ["editors"] })).toBe(false);
    // The local STAFF_TOKEN shortcut is staff by default, a publisher where STAFF_TOKEN_ROLE says so (the local cloud's).
    expect(hasRole(shortcutIdentity({ STAFF_TOKEN_EMAIL: "l@example.org" }), "publisher")).toBe(false);
    expect(hasRole(shortcutIdentity({ STAFF_TOKEN_EMAIL: "l@example.org", STAFF_TOKEN_ROLE: "publisher" }), "publisher")).toBe(true);
  });

  it("has every staff API route declare its role in the route table, publisher for sending, approving and their like", () => {
    const staffRoutes = ROUTES.filter(isStaffRoute);
    expect(staffRoutes.every((r) => r.role === "staff" || r.role === "publisher")).toBe(true);
    expect(staffRoleOf("POST /api/staff/announcements/{id}/send")).toBe("publisher");
    expect(staffRoleOf("POST /api/staff/announcements/{id}/approve")).toBe("publisher");
    expect(staffRoleOf("POST /api/staff/announcements/{id}/checks")).toBe("staff");
    expect(staffRoleOf("POST /api/staff/announcements/{id}/test")).toBe("staff");
    expect(staffRoleOf("GET /staff")).toBeUndefined();
  });

  it("answers 403 role_required naming the publisher role, and 403 forbidden outside both groups", async () => {
    const verifier = { verify: async (token: string) => ({ sub: token, groups: token.startsWith("anna") ? ["staff"] : token.startsWith("pia") ? ["publisher"] : ["editors"] }) };
    const d = { config: { MODE: "aws" } as never, staffTokens: verifier };
    const event = (token: string) => ({ headers: { authorization: `Bearer ${token}.x.y` } }) as never;
    const lacking = await refusal(requireStaff(event("anna"), d, "publisher"));
    expect(lacking).toMatchObject({ status: 403, code: "role_required", message: expect.stringContaining("This needs the publisher role") });
    expect(await requireStaff(event("pia"), d, "publisher")).toMatchObject({ groups: ["publisher"] });
    expect(await requireStaff(event("anna"), d, "staff")).toMatchObject({ groups: ["staff"] });
    expect(await refusal(requireStaff(event("ed"), d, "staff"))).toMatchObject({ status: 403, code: "forbidden" });
  });
});

describe("four-eyes approval", () => {
  it("needs an approval above the threshold, never at or below it", async () => {
    const { w, deps } = setup(2);
    audience(w, 1, 1);
    const small = await createAnnouncement(deps, anna, draft);
    expect(small.review).toMatchObject({ required: false, audience: 2, threshold: 2, next: "send" });
    expect((await sendAnnouncement(deps, pia, small.id, {})).status).toBe(202);

    w.active("sv-third");
    const large = await createAnnouncement(deps, anna, draft);
    expect(large.review).toMatchObject({ required: true, audience: 3, next: "approval", author: { email: "anna@example.org" } });
    const err = await refusal(sendAnnouncement(deps, pia, large.id, {}));
    expect(err).toMatchObject({ status: 409, code: "approval_required", message: expect.stringContaining("a publisher other than anna@example.org") });
    const scheduled = await refusal(sendAnnouncement(deps, pia, large.id, { at: "2026-12-20T09:00" }));
    expect(scheduled.code).toBe("approval_required");
  });

  it("takes the approval only from a publisher who is not the author of the last edit", async () => {
    const { w, deps, audit } = setup(0);
    audience(w, 1, 0);
    const { id } = await createAnnouncement(deps, anna, draft);
    expect(await refusal(reviewAnnouncement(deps, anna, id, {}))).toMatchObject({ status: 403, code: "role_required" });
    expect(await refusal(reviewAnnouncement(deps, annaPublisher, id, {}))).toMatchObject({ status: 403, code: "four_eyes" });
    expect(await refusal(sendAnnouncement(deps, anna, id, {}))).toMatchObject({ status: 403, code: "role_required" });
    expect(audit.actions).toEqual(["announcement.create"]);

    const approved = await reviewAnnouncement(deps, pia, id, {});
    expect(approved.approval).toMatchObject({ by: { sub: "pia" } });
    expect(approved.review).toMatchObject({ next: "send", approval: { by: { email: "pia@example.org" } } });
    // The same publisher approving again changes nothing.
    expect((await reviewAnnouncement(deps, pia, id, {})).version).toBe(approved.version);
    expect(audit.actions).toEqual(["announcement.create", "announcement.approve"]);
    expect(audit.entries[1]).toMatchObject({ actor: { sub: "pia" }, targetId: id, details: { author: "anna@example.org", version: 1 } });

    // The approver may send it too; so may the author, if a publisher: four eyes have seen it.
    expect((await sendAnnouncement(deps, annaPublisher, id, {})).status).toBe(202);
    expect(audit.entries.at(-1)).toMatchObject({ action: "announcement.send", details: { approvedBy: "pia@example.org", author: "anna@example.org", audience: 1 } });
  });

  it("voids the approval on an edit (audited), making the editor the author", async () => {
    const { w, deps, audit } = setup(0);
    audience(w, 1, 0);
    const { id } = await createAnnouncement(deps, anna, draft);
    const approved = await reviewAnnouncement(deps, pia, id, {});
    const edited = await editAnnouncement(deps, pia, id, { ...draft, title: { ...draft.title, en: "Join the launch of the new Missions Playbook" }, version: approved.version });
    expect(edited.approval).toBeUndefined();
    expect(edited.review).toMatchObject({ next: "approval", author: { sub: "pia" } });
    expect(audit.actions).toEqual(["announcement.create", "announcement.approve", "announcement.edit", "announcement.approval-void"]);
    expect(audit.entries[3]).toMatchObject({ actor: { sub: "pia" }, details: { approvedBy: "pia@example.org", reason: "edited" } });
    // Pia wrote the last edit now, so she may not approve it; Anna is no publisher; Bo may.
    expect((await refusal(reviewAnnouncement(deps, pia, id, {}))).code).toBe("four_eyes");
    expect((await refusal(sendAnnouncement(deps, pia, id, {}))).code).toBe("approval_required");
    await reviewAnnouncement(deps, bo, id, {});
    expect((await sendAnnouncement(deps, pia, id, {})).status).toBe(202);
  });

  it("takes a scheduled announcement whose approval an edit voids back to draft, removing its schedule", async () => {
    const { w, deps, scheduler } = setup(0);
    audience(w, 1, 0);
    const { id } = await createAnnouncement(deps, anna, draft);
    await reviewAnnouncement(deps, pia, id, {});
    const scheduled = await sendAnnouncement(deps, pia, id, { at: "2026-12-20T09:00" });
    expect(scheduled.view.state).toBe("scheduled");
    expect(scheduler.schedules.size).toBe(1);
    const edited = await editAnnouncement(deps, anna, id, { ...draft, version: scheduled.view.version });
    expect(edited).toMatchObject({ state: "draft", review: { next: "approval" } });
    expect(edited.scheduledFor).toBeUndefined();
    expect(scheduler.schedules.size).toBe(0);
  });

  it("records a refusal with its reason (voiding an approval), clears it on the next edit, and needs a reason", async () => {
    const { w, deps, audit } = setup(0);
    audience(w, 1, 0);
    const { id } = await createAnnouncement(deps, anna, draft);
    await reviewAnnouncement(deps, pia, id, {});
    expect((await refusal(refuseAnnouncement(deps, bo, id, {}))).fields).toEqual([{ field: "reason", message: expect.stringContaining("reason") }]);
    const refused = await reviewAnnouncement(deps, bo, id, { decision: "refuse", reason: "The date is wrong." });
    expect(refused.approval).toBeUndefined();
    expect(refused.review).toMatchObject({ next: "edit", refusal: { by: { sub: "bo" }, reason: "The date is wrong." } });
    expect(audit.actions.slice(-2)).toEqual(["announcement.refuse", "announcement.approval-void"]);
    expect(audit.entries.at(-2)).toMatchObject({ details: { reason: "The date is wrong.", author: "anna@example.org" } });
    expect(audit.entries.at(-1)).toMatchObject({ details: { approvedBy: "pia@example.org", reason: "refused" } });
    const edited = await editAnnouncement(deps, anna, id, draft);
    expect(edited.refusal).toBeUndefined();
    expect(edited.review?.next).toBe("approval");
    // A draft only: once it is sending, there is nothing to decide.
    await reviewAnnouncement(deps, pia, id, {});
    await sendAnnouncement(deps, pia, id, {});
    expect((await refusal(reviewAnnouncement(deps, bo, id, {}))).code).toBe("not_reviewable");
  });

  it("says who must act next", () => {
    const base = { id: "x", ...draft, state: "draft" as const, createdBy: { sub: "anna", email: "anna@example.org" }, createdAt: "", updatedAt: "", version: 1 };
    expect(approvalStatus(base, 5, 10).next).toBe("send");
    expect(approvalStatus(base, 11, 10)).toMatchObject({ next: "approval", author: { email: "anna@example.org" } });
    expect(approvalStatus({ ...base, lastEditedBy: { sub: "pia" } }, 11, 10).author).toEqual({ sub: "pia" });
    expect(approvalStatus({ ...base, refusal: { by: { sub: "bo" }, at: "", reason: "no" } }, 11, 10).next).toBe("edit");
    expect(approvalStatus({ ...base, approval: { by: { sub: "bo" }, at: "", version: 2 } }, 11, 10).next).toBe("send");
    expect(approvalStatus({ ...base, state: "scheduled" }, 11, 10).next).toBe("none");
  });
});

describe("the pre-send checks", () => {
  it("measures the HTML against Gmail's 102 KB clip", () => {
    expect(checkHtmlSize("sv", "x".repeat(1000))).toMatchObject({ severity: "ok", value: 1000 });
    expect(checkHtmlSize("sv", "x".repeat(95 * 1024)).severity).toBe("warning");
    expect(checkHtmlSize("en", "x".repeat(GMAIL_CLIP_BYTES + 1))).toMatchObject({ severity: "error", language: "en" });
    expect(checkHtmlSize("en", "å".repeat(GMAIL_CLIP_BYTES / 2 + 1)).severity).toBe("error");
  });

  it("wants a subject of 10 to 78 characters, counted as characters", () => {
    expect(checkSubjectLength("sv", "Nyhet").severity).toBe("warning");
    expect(checkSubjectLength("sv", "Tio tecken").severity).toBe("ok");
    expect(checkSubjectLength("sv", "å".repeat(78)).severity).toBe("ok");
    expect(checkSubjectLength("en", "x".repeat(79))).toMatchObject({ severity: "warning", value: 79 });
  });

  it("finds images without alt text", () => {
    expect(imagesIn('<img src="a.png" alt="A"><IMG src=\'b.png\'><img alt="" src="c.png">')).toEqual([
      { src: "a.png", alt: "A" },
      { src: "b.png", alt: undefined },
      { src: "c.png", alt: "" },
    ]);
    expect(checkImageAlt("sv", '<p><img src="https://x.org/a.png" alt="A chart"></p>', "![A chart](https://x.org/c.png)").severity).toBe("ok");
    expect(checkImageAlt("sv", '<img src="https://x.org/a.png"><img src="https://x.org/b.png" alt=" ">')).toMatchObject({ severity: "warning", value: 2, items: ["https://x.org/a.png", "https://x.org/b.png"] });
    // In markdown an email shows an image as its description, so one without any shows as nothing.
    expect(checkImageAlt("en", "<p></p>", "Look: ![](https://x.org/d.png) and ![ ](<https://x.org/e.png>)")).toMatchObject({ severity: "warning", items: ["https://x.org/d.png", "https://x.org/e.png"] });
  });

  it("refuses links that are not https, are local, or lead to the staff pages", () => {
    const site = "https://missions.example.org";
    expect(linksIn('<a href="https://a.org/x?a=1&amp;b=2">x</a><a href="https://a.org/x?a=1&amp;b=2">y</a><a name="top">')).toEqual(["https://a.org/x?a=1&b=2"]);
    expect(linkProblem("https://vinnova.se/missions", site)).toBeUndefined();
    expect(linkProblem("mailto:team@example.org", site)).toBeUndefined();
    expect(linkProblem("http://vinnova.se", site)).toBe("is http, not https");
    expect(linkProblem("https://localhost:3000/x", site)).toBe("points at a local address");
    expect(linkProblem("https://127.0.0.1/x", site)).toBe("points at a local address");
    expect(linkProblem("https://missions.example.org/staff#token=x", site)).toBe("points at the staff pages");
    expect(linkProblem("https://missions.example.org/api/staff/announcements", site)).toBe("points at the staff pages");
    expect(linkProblem("https://missions.example.org/staffing", site)).toBeUndefined();
    expect(linkProblem("/relative", site)).toBe("is not a full URL");
    expect(checkLinkSafety("sv", ["https://vinnova.se", "http://vinnova.se"], site)).toMatchObject({ severity: "error", items: ["http://vinnova.se is http, not https"] });
    expect(checkLinkSafety("sv", ["https://vinnova.se"], site).severity).toBe("ok");
  });

  it("warns of a missing language only when some of the audience reads it", () => {
    expect(checkLanguagesMissing(["sv"], { sv: 3, en: 2 })).toEqual([expect.objectContaining({ check: "language-missing", severity: "warning", language: "en", value: 2 })]);
    expect(checkLanguagesMissing(["sv"], { sv: 3, en: 0 })).toEqual([expect.objectContaining({ severity: "info", language: "en" })]);
    expect(checkLanguagesMissing(["sv", "en"], { sv: 3, en: 2 })).toEqual([]);
  });

  it("states the audience per language, and warns when it is nobody", () => {
    expect(checkAudience({ sv: 3, en: 2 }).map((r) => [r.language, r.value, r.severity])).toEqual([
      ["sv", 3, "info"],
      ["en", 2, "info"],
    ]);
    expect(checkAudience({ sv: 0, en: 0 }).at(-1)).toMatchObject({ severity: "warning", value: 0 });
  });

  it("checks links through the probe, at most four at a time, only ever warning; offline it says not checked", async () => {
    let inFlight = 0;
    let most = 0;
    const probe: LinkProbe = {
      async probe(url): Promise<LinkProbeResult> {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (url.endsWith("/gone")) return { url, status: "broken", httpStatus: 404 };
        if (url.endsWith("/slow")) throw new Error("timeout");
        return { url, status: "ok", httpStatus: 200 };
      },
    };
    const links = ["https://a.org/1", "https://a.org/2", "https://a.org/gone", "https://a.org/3", "https://a.org/slow", "https://a.org/4", "https://a.org/5"];
    const result = await checkLinkReachability(probe, links);
    expect(most).toBe(4);
    expect(result).toMatchObject({ check: "link-reachability", severity: "warning", value: 2, items: ["https://a.org/gone answers 404", "https://a.org/slow did not answer"] });
    expect((await checkLinkReachability(probe, ["https://a.org/1"])).severity).toBe("ok");
    expect(await checkLinkReachability(new OfflineLinkProbe(), ["https://a.org/1"])).toMatchObject({ severity: "info", message: expect.stringContaining("not checked") });
    expect((await checkLinkReachability(probe, [])).severity).toBe("ok");
  });

  it("asks with HEAD, falls back to GET where HEAD is refused or fails, and times out", async () => {
    const calls: string[] = [];
    const fake = (answers: Record<string, number | "throw" | "hang">) =>
      (async (url: string | URL | Request, init?: RequestInit) => {
        const method = init?.method ?? "GET";
        calls.push(`${method} ${String(url)}`);
        const answer = answers[`${method} ${String(url)}`] ?? 200;
        if (answer === "throw") throw new TypeError("fetch failed");
        if (answer === "hang") {
          return new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "TimeoutError"))));
        }
        return new Response(null, { status: answer });
      }) as typeof fetch;
    const probe = new FetchLinkProbe({
      timeoutMs: 50,
      fetch: fake({ "HEAD https://a.org/no-head": 405, "HEAD https://a.org/gone": 404, "GET https://a.org/gone": 404, "HEAD https://a.org/flaky": "throw", "HEAD https://a.org/hang": "hang", "GET https://a.org/hang": "hang" }),
    });
    expect(await probe.probe("https://a.org/ok")).toEqual({ url: "https://a.org/ok", status: "ok", httpStatus: 200 });
    expect(await probe.probe("https://a.org/no-head")).toEqual({ url: "https://a.org/no-head", status: "ok", httpStatus: 200 });
    expect(await probe.probe("https://a.org/gone")).toEqual({ url: "https://a.org/gone", status: "broken", httpStatus: 404 });
    expect(await probe.probe("https://a.org/flaky")).toMatchObject({ status: "ok" });
    const started = Date.now();
    expect(await probe.probe("https://a.org/hang")).toEqual({ url: "https://a.org/hang", status: "unreachable" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(calls).toEqual([
      "HEAD https://a.org/ok",
      "HEAD https://a.org/no-head",
      "GET https://a.org/no-head",
      "HEAD https://a.org/gone",
      "HEAD https://a.org/flaky",
      "GET https://a.org/flaky",
      "HEAD https://a.org/hang",
      "GET https://a.org/hang",
    ]);
  });

  it("runs every check on a saved announcement, and the send refuses errors and unacknowledged warnings", async () => {
    const probed: string[] = [];
    const probe: LinkProbe = { probe: async (url) => (probed.push(url), { url, status: "ok", httpStatus: 200 }) };
    const { w, deps, checking, audit } = setup(100, probe);
    audience(w, 2, 1);
    const good = await createAnnouncement(deps, anna, draft);
    const report = await checkAnnouncement(checking, good.id);
    expect(report).toMatchObject({ ok: true, errors: [], warnings: [], audience: { sv: 2, en: 1, total: 3 }, approval: { required: false, next: "send" } });
    expect(new Set(report.checks.map((c) => c.check))).toEqual(new Set(["html-size", "subject-length", "image-alt", "link-safety", "audience", "link-reachability"]));
    expect(probed).toEqual(["https://missions.example.org/playbook"]);

    const bad = await createAnnouncement(deps, anna, { title: { sv: "Kort" }, body: { sv: "![](https://x.org/a.png) [konsolen](https://missions.example.org/staff)" }, missions: ["food-system"] });
    const badReport = await getAnnouncement(deps, bad.id).then(() => checkAnnouncement(checking, bad.id));
    expect(badReport.ok).toBe(false);
    expect(badReport.errors).toEqual(["link-safety"]);
    expect(badReport.warnings).toEqual(["subject-length", "image-alt", "language-missing"]);
    const blocked = await refusal(sendAnnouncement(deps, pia, bad.id, { acknowledgeWarnings: true }));
    expect(blocked).toMatchObject({ status: 422, code: "checks_failed" });
    expect(blocked.fields?.map((f) => f.field)).toEqual(["checks.link-safety.sv"]);

    const warned = await createAnnouncement(deps, anna, { title: { sv: "Kort" }, body: { sv: "Text." }, missions: ["food-system"] });
    const unacknowledged = await refusal(sendAnnouncement(deps, pia, warned.id, {}));
    expect(unacknowledged).toMatchObject({ status: 409, code: "warnings_not_acknowledged" });
    expect(unacknowledged.fields?.map((f) => f.field)).toEqual(["checks.subject-length.sv", "checks.language-missing.en"]);
    expect(audit.actions.filter((a) => a === "announcement.send")).toEqual([]);
    expect((await sendAnnouncement(deps, pia, warned.id, { acknowledgeWarnings: true })).status).toBe(202);
    expect(audit.entries.at(-1)).toMatchObject({ action: "announcement.send", details: { acknowledgedWarnings: ["subject-length", "language-missing"] } });
  });
});

describe("the staff console's checks and approval", () => {
  it("has the checks, who must act next, approve and refuse, and the warnings box, in Swedish and English", async () => {
    const { staffConsolePage, staffConsoleSignIn } = await import("../../packages/web/src/staff-console-page");
    const signIn = staffConsoleSignIn({ MODE: "local", PUBLIC_URL: "http://localhost:3000" });
    const limits = { complaintRate: 0.001, bounceRate: 0.05 };
    const words = {
      sv: ["Kontroller före utskick", "Kör kontrollerna", "Godkännande", "Godkänn", "Jag har läst varningarna och vill fortsätta", "Väntar på godkännande av en utgivare som inte är {author}"],
      en: ["Checks before sending", "Run the checks", "Approval", "Approve", "I have read the warnings and want to go ahead", "Waiting for approval by a publisher other than {author}"],
    } as const;
    for (const language of ["sv", "en"] as const) {
      const page = staffConsolePage(language, signIn, limits);
      for (const id of ["run-checks", "checks-list", "review-status", "approve", "refuse-reason", "refuse", "ack-warnings"]) expect(page, `${language} #${id}`).toContain(`id="${id}"`);
      for (const word of words[language]) expect(page, `${language}: ${word}`).toContain(word);
      expect(page).toMatch(/<label for="ack-warnings">/);
    }
  });
});
