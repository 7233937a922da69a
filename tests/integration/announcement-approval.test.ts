import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinkProbe, LinkProbeResult } from "../../packages/core/src/announcements/ports";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

/**
 * The four-eyes rule and the pre-send checks over HTTP, on the local cloud: the role each route
 * needs (403 naming it), an approval by a publisher other than the last editor above the threshold,
 * an edit voiding it, a refusal, the checks endpoint and a send refused by its checks. The threshold
 * is 1 here, so two subscribers need an approval; links are checked through a fake probe.
 */

let h: Harness;
const probed: string[] = [];
const probe: LinkProbe = {
  async probe(url): Promise<LinkProbeResult> {
    probed.push(url);
    return url.includes("gone") ? { url, status: "broken", httpStatus: 404 } : { url, status: "ok", httpStatus: 200 };
  },
};

beforeAll(async () => {
  h = await startHarness({ APPROVAL_THRESHOLD: "1" }, { wiring: { linkProbe: probe } });
  await h.subscribe({ language: "sv", missions: ["food-system"], topics: ["news"] });
  await h.subscribe({ language: "en", missions: ["food-system"], topics: ["news"] });
}, 120_000);
afterAll(() => h?.stop());

const bearer = async (email: string, groups: string[]) => ({ authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email, groups })}` });
const BASE = "/api/staff/announcements";
const launch = {
  title: { sv: "Välkommen till lanseringen av Missions Playbook", en: "Join the launch of the Missions Playbook" },
  body: { sv: "Läs mer på [vår sida](https://missions.example.org/playbook).", en: "Read more on [our page](https://missions.example.org/gone)." },
  missions: ["food-system"],
};

async function audit(id: string) {
  const res = await h.request("GET", "/api/staff/audit?limit=200", { headers: await bearer("reader@example.org", ["staff"]) });
  return (res.body.entries as { action: string; targetId: string; actor: { email?: string }; details: Record<string, unknown> }[]).filter((e) => e.targetId === id).reverse();
}

describe("four-eyes sending", () => {
  it("needs an approval by another publisher above the threshold; an edit voids it, a refusal says why; then it sends", async () => {
    const anna = await bearer("anna@example.org", ["staff"]);
    const annaPublisher = await bearer("anna@example.org", ["staff", "publisher"]);
    const pia = await bearer("pia@example.org", ["publisher"]);
    const bo = await bearer("bo@example.org", ["staff", "publisher"]);

    const created = await h.request("POST", BASE, { json: launch, headers: anna });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.review).toMatchObject({ required: true, threshold: 1, audience: 2, author: { email: "anna@example.org" }, next: "approval" });

    // Staff without the publisher role may not send or approve; the 403 names the role.
    for (const action of ["send", "approve"]) {
      const res = await h.request("POST", `${BASE}/${id}/${action}`, { json: {}, headers: anna });
      expect(res.status, action).toBe(403);
      expect(res.body.error).toMatchObject({ code: "role_required", message: expect.stringContaining("This needs the publisher role") });
    }
    // A publisher may not send it unapproved, and the author may not approve their own edit.
    const unapproved = await h.request("POST", `${BASE}/${id}/send`, { json: {}, headers: pia });
    expect(unapproved.status).toBe(409);
    expect(unapproved.body.error).toMatchObject({ code: "approval_required", message: expect.stringContaining("a publisher other than anna@example.org") });
    const own = await h.request("POST", `${BASE}/${id}/approve`, { json: {}, headers: annaPublisher });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe("four_eyes");

    // The checks: no errors, one warning (a link answers 404), the audience per language, who must act.
    const checks = await h.request("POST", `${BASE}/${id}/checks`, { headers: anna });
    expect(checks.status).toBe(200);
    expect(checks.body).toMatchObject({ ok: true, errors: [], warnings: ["link-reachability"], audience: { sv: 1, en: 1, total: 2 }, approval: { next: "approval", author: { email: "anna@example.org" } } });
    expect(checks.body.checks.find((c: { check: string }) => c.check === "link-reachability")).toMatchObject({ severity: "warning", items: ["https://missions.example.org/gone answers 404"] });
    expect(probed.sort()).toEqual(["https://missions.example.org/gone", "https://missions.example.org/playbook"]);

    const approved = await h.request("POST", `${BASE}/${id}/approve`, { json: {}, headers: pia });
    expect(approved.status).toBe(200);
    expect(approved.body.review).toMatchObject({ next: "send", approval: { by: { email: "pia@example.org" } } });

    // Pia edits it: the approval is void, and she is now the author, so Bo must decide.
    const edited = await h.request("PUT", `${BASE}/${id}`, { json: { ...launch, body: { ...launch.body, en: "Read more on [our page](https://missions.example.org/playbook)." }, version: approved.body.version }, headers: pia });
    expect(edited.status).toBe(200);
    expect(edited.body.approval).toBeUndefined();
    expect(edited.body.review).toMatchObject({ next: "approval", author: { email: "pia@example.org" } });
    expect((await h.request("POST", `${BASE}/${id}/send`, { json: {}, headers: bo })).body.error.code).toBe("approval_required");

    const refusal = await h.request("POST", `${BASE}/${id}/refuse`, { json: { reason: "Name the date in the Swedish text too." }, headers: bo });
    expect(refusal.status).toBe(200);
    expect(refusal.body.review).toMatchObject({ next: "edit", refusal: { by: { email: "bo@example.org" }, reason: "Name the date in the Swedish text too." } });
    expect((await h.request("POST", `${BASE}/${id}/refuse`, { json: {}, headers: bo })).status).toBe(400);

    const second = await h.request("POST", `${BASE}/${id}/approve`, { json: {}, headers: bo });
    expect(second.status).toBe(200);
    expect(second.body.refusal).toBeUndefined();

    const sent = await h.request("POST", `${BASE}/${id}/send`, { json: {}, headers: pia });
    expect(sent.status).toBe(202);
    await h.idle();
    const status = await h.request("GET", `${BASE}/${id}`, { headers: anna });
    expect(status.body).toMatchObject({ state: "done", counters: { sent: 2 } });

    expect((await audit(id)).map((e) => [e.action, e.actor.email])).toEqual([
      ["announcement.create", "anna@example.org"],
      ["announcement.approve", "pia@example.org"],
      ["announcement.edit", "pia@example.org"],
      ["announcement.approval-void", "pia@example.org"],
      ["announcement.refuse", "bo@example.org"],
      ["announcement.approve", "bo@example.org"],
      ["announcement.send", "pia@example.org"],
    ]);
    const entries = await audit(id);
    expect(entries[3]!.details).toMatchObject({ approvedBy: "pia@example.org", reason: "edited" });
    expect(entries[4]!.details).toMatchObject({ reason: "Name the date in the Swedish text too.", author: "pia@example.org" });
    expect(entries[6]!.details).toMatchObject({ approvedBy: "bo@example.org", author: "pia@example.org", audience: 2 });
  }, 60_000);
});

describe("checks before sending", () => {
  it("refuses a send whose checks find errors (422, naming them) and one with warnings until they are acknowledged", async () => {
    const pia = await bearer("pia@example.org", ["publisher"]);
    const bad = await h.request("POST", BASE, { json: { title: { sv: "En länk till konsolen i dag" }, body: { sv: "Se [konsolen](http://localhost:3000/staff)." }, missions: ["mobility"] }, headers: pia });
    expect(bad.status).toBe(201);
    const checks = await h.request("POST", `${BASE}/${bad.body.id}/checks`, { headers: pia });
    expect(checks.body.ok).toBe(false);
    expect(checks.body.errors).toEqual(["link-safety"]);
    const refused = await h.request("POST", `${BASE}/${bad.body.id}/send`, { json: { acknowledgeWarnings: true }, headers: pia });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("checks_failed");
    expect(refused.body.error.fields).toEqual([{ field: "checks.link-safety.sv", message: expect.stringContaining("http://localhost:3000/staff is http, not https") }]);

    // A short subject, no English version and nobody following: warnings, which need acknowledging.
    const short = await h.request("POST", BASE, { json: { title: { sv: "Hej" }, body: { sv: "Text." }, missions: ["mobility"] }, headers: pia });
    const warned = await h.request("POST", `${BASE}/${short.body.id}/send`, { json: {}, headers: pia });
    expect(warned.status).toBe(409);
    expect(warned.body.error.code).toBe("warnings_not_acknowledged");
    expect(warned.body.error.fields.map((f: { field: string }) => f.field)).toEqual(["checks.subject-length.sv", "checks.audience"]);
    const ok = await h.request("POST", `${BASE}/${short.body.id}/send`, { json: { acknowledgeWarnings: true }, headers: pia });
    expect(ok.status).toBe(202);
    await h.idle();
    expect((await audit(short.body.id)).find((e) => e.action === "announcement.send")!.details).toMatchObject({ acknowledgedWarnings: ["subject-length", "audience"], audience: 0 });
  }, 60_000);
});
