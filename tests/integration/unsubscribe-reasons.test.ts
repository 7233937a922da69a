import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignTag } from "../../packages/core/src/shared/campaign-tags";
import { issueToken } from "../../packages/core/src/shared/tokens";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_IP: "1000" });
});
afterAll(() => h?.stop());

const staff = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };
const form = { "content-type": "application/x-www-form-urlencoded" };
const tag = campaignTag("digest#weekly#2026-W49");
const today = new Date().toISOString().slice(0, 10);

/** Subscribes someone, unsubscribes them from a campaign email's link, and answers the link's query and the result page. */
async function leave(overrides: Record<string, unknown>) {
  const address = await h.subscribe(overrides);
  const id = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address)!.subscriberId as string;
  const query = `token=${issueToken(TEST_SECRETS.TOKEN_KEYS.split(","), "manage", id, Date.now())}&c=${tag}&lang=en`;
  const page = await h.request("POST", `/unsubscribe?${query}`, { body: "", headers: form });
  expect(page.status).toBe(200);
  return { address, query, page: page.text };
}

const reasons = async (q = `from=${today}&to=${today}`) => {
  const res = await h.request("GET", `/api/staff/unsubscribe-reasons?${q}`, { headers: staff });
  expect(res.status, res.text).toBe(200);
  return res.body as { missions: { id: string; total: number; counts: Record<string, number>; comments: { text: string; campaign?: string }[] }[] };
};

describe("why people leave", () => {
  it("asks after the unsubscribe, in an accessible form, and stores the answer without the address", async () => {
    const { address, query, page } = await leave({ language: "en", missions: ["food-system", "mobility"] });
    expect(page).toContain("You have unsubscribed");
    expect(page).toMatch(/<form method="post" action="\/unsubscribe\/reason\?token=[^"]+&amp;lang=en&amp;c=/);
    expect(page).toMatch(/<fieldset id="reason"[^>]*>\s*<legend>Would you tell us why you left\? \(optional\)<\/legend>/);
    for (const code of ["too-many-emails", "not-relevant", "never-signed-up", "other"]) expect(page).toContain(`<input type="radio" id="reason-${code}" name="reason" value="${code}"`);
    expect(page).toMatch(/<label for="departure-text">/);

    const answered = await h.request("POST", `/unsubscribe/reason?${query}`, { body: "reason=never-signed-up&text=I+never+asked+for+this.", headers: form });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain("Thank you for your answer");
    // Answering again changes nothing: one answer per person.
    expect((await h.request("POST", `/unsubscribe/reason?${query}`, { json: { reason: "other" } })).body).toEqual({ status: "duplicate" });

    const stored = (await h.allItems()).filter((i) => i.type === "departure");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ reason: "never-signed-up", text: "I never asked for this.", missions: ["food-system", "mobility"], campaign: "digest#weekly#2026-W49" });
    const profile = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === address)!;
    expect(JSON.stringify(stored)).not.toContain(address);
    expect(JSON.stringify(stored)).not.toContain(String(profile.subscriberId));

    // "Never signed up" shows beside complaints in the staff statistics.
    const stats = await h.request("GET", "/api/staff/stats?days=1&missions=food-system,mobility", { headers: staff });
    for (const m of stats.body.missions) expect(m.totals.neverSignedUp, m.id).toBe(1);
  });

  it("refuses an unknown reason or a text over 500 characters: 400 naming the field, or the form again with its errors", async () => {
    const { query } = await leave({ language: "sv", missions: ["mobility"] });
    const json = await h.request("POST", `/unsubscribe/reason?${query}`, { json: { reason: "bored", text: "x".repeat(501) } });
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe("validation_failed");
    expect(json.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(["reason", "text"]);

    const page = await h.request("POST", `/unsubscribe/reason?${query.replace("lang=en", "lang=sv")}`, { body: `reason=other&text=${"x".repeat(501)}`, headers: form });
    expect(page.status).toBe(400);
    expect(page.text).toContain('<html lang="sv"');
    expect(page.text).toMatch(/<div class="error-summary" role="alert"/);
    expect(page.text).toContain('<a href="#departure-text">Skriv högst 500 tecken.</a>');
    expect(page.text).toMatch(/<input type="radio" id="reason-other" name="reason" value="other" checked/);
    expect((await h.allItems()).filter((i) => i.type === "departure" && (i.missions as string[]).includes("mobility") && i.reason !== "never-signed-up")).toHaveLength(0);
  });

  it("shows staff the reasons per mission and period", async () => {
    const { query } = await leave({ language: "en", missions: ["mobility"] });
    expect((await h.request("POST", `/unsubscribe/reason?${query}`, { json: { reason: "too-many-emails", text: "Weekly is plenty." } })).body).toEqual({ status: "recorded" });
    const all = await reasons();
    const mobility = all.missions.find((m) => m.id === "mobility")!;
    expect(mobility.counts).toMatchObject({ "too-many-emails": 1, "never-signed-up": 1 });
    expect(mobility.total).toBe(2);
    expect(mobility.comments.map((c) => c.text)).toEqual(["Weekly is plenty.", "I never asked for this."]);
    expect(all.missions.find((m) => m.id === "food-system")!.total).toBe(1);
    expect((await reasons(`mission=mobility&from=${today}&to=${today}`)).missions.map((m) => m.id)).toEqual(["mobility"]);
    expect((await reasons("from=2020-01-01&to=2020-01-31")).missions.every((m) => m.total === 0)).toBe(true);

    const bad = await h.request("GET", "/api/staff/unsubscribe-reasons?from=soon", { headers: staff });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ field: "from", message: expect.any(String) }]);
    expect((await h.request("GET", "/api/staff/unsubscribe-reasons")).status).toBe(401);
  });
});
