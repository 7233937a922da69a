import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkToken, signUp, startHarness, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_IP: "1000" });
});
afterAll(() => h?.stop());

const header = (m: StoredEmail, name: string) => m.headers?.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
const welcomes = async (address: string) => (await h.mailTo(address)).filter((m) => /Welcome|Välkommen/.test(m.subject));

describe("the welcome", () => {
  it("arrives once after a confirmation, even when the confirmation is retried, with the subscriber's choices and links", async () => {
    const body = signUp({ language: "en", missions: ["food-system", "mobility"], topics: ["seminar", "news"], cadence: "weekly" });
    expect((await h.request("POST", "/api/subscriptions", { json: body })).status).toBe(202);
    await h.drain();
    const [confirmation] = await h.mailTo(body.email);
    const token = linkToken(confirmation!, "/confirm");
    for (let i = 0; i < 3; i++) expect((await h.request("POST", "/api/subscriptions/confirm", { json: { token } })).status).toBe(200);
    await h.drain();

    const [welcome, ...more] = await welcomes(body.email);
    expect(more).toHaveLength(0);
    expect(welcome!.subject).toBe("Welcome to the Missions newsletter");
    const html = welcome!.body.html!;
    expect(html).toContain('<html lang="en"');
    expect(html).toMatch(/<h1[^>]*>Welcome – your subscription is confirmed<\/h1>/);
    const site = h.cloud.urls.site.replace(/\/$/, "");
    for (const id of ["food-system", "mobility"]) expect(html).toContain(`href="${site}/missions/${id}/archive?lang=en"`);
    expect(html).toContain("seminars, news");
    expect(html).toMatch(/Your next weekly update comes on Monday \d{1,2} [A-Z][a-z]+ \d{4}\./);
    expect(welcome!.body.text).toContain(`- A new recipe for the food system: ${site}/missions/food-system/archive?lang=en`);

    // Its links work: the archive page, the preference centre, and one-click unsubscribe.
    expect((await h.request("GET", `/missions/mobility/archive?lang=en`)).status).toBe(200);
    const preferences = /href="[^"]*(\/preferences\?token=[^"&]+)&amp;lang=en"/.exec(html)![1]!;
    expect((await h.request("GET", `${preferences}&lang=en`)).status).toBe(200);
    expect(header(welcome!, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const oneClick = /<https?:\/\/[^/]+(\/unsubscribe\?token=[^>]+)>/.exec(header(welcome!, "List-Unsubscribe")!)![1]!;
    expect((await h.request("POST", oneClick, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(200);
    const profile = (await h.allItems()).find((i) => i.type === "subscriber" && i.email === body.email)!;
    expect(profile.status).toBe("unsubscribed");
  });

  it("is in Swedish for a Swedish subscriber, and says immediate alerts come as soon as something is published", async () => {
    const address = await h.subscribe({ language: "sv", cadence: "immediate", missions: ["mobility"], topics: ["publication"] });
    const [welcome, ...more] = await welcomes(address);
    expect(more).toHaveLength(0);
    expect(welcome!.subject).toBe("Välkommen till Missions nyhetsbrev");
    expect(welcome!.body.html).toContain('<html lang="sv"');
    expect(welcome!.body.html).toContain("Nästa mejl kommer så snart något publiceras.");
    expect(welcome!.body.html).toMatch(/href="[^"]*\/missions\/mobility\/archive">Mobilitet/);
  });
});
