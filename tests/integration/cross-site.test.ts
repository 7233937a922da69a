import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../packages/functions/src/routes";
import { startHarness, signUp, type Harness } from "./harness";

/**
 * Cross-site request forgery: a page on another site can make a visitor's browser post a form to us
 * (the cookie choice, a sign-up, a preference change). Every state-changing route that browsers reach
 * (the public and subscriber functions') refuses a request whose Origin is not the site's own or whose
 * Sec-Fetch-Site is cross-site, before it does anything.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const FORM = "application/x-www-form-urlencoded";
const browserRoutes = ROUTES.filter((r) => (r.audience === "public" || r.audience === "subscriber") && r.method !== "GET");

describe("cross-site posts", () => {
  it("covers every state-changing public and subscriber route", () => {
    expect(browserRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["POST /cookies", "POST /subscribe", "POST /preferences", "POST /unsubscribe", "POST /api/me/erase"]));
  });

  it("refuses a form post from a foreign Origin with a localised 403 page, and sets nothing", async () => {
    const res = await h.request("POST", "/cookies?lang=en", { body: "choice=all&return=/missions", headers: { "content-type": FORM, origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.text).toContain("another website");
    const sv = await h.request("POST", "/cookies", { body: "choice=all", headers: { "content-type": FORM, origin: "https://evil.example" } });
    expect(sv.status).toBe(403);
    expect(sv.text).toContain("en annan webbplats");
  });

  it("refuses Sec-Fetch-Site: cross-site even without an Origin", async () => {
    const res = await h.request("POST", "/cookies", { body: "choice=all", headers: { "content-type": FORM, "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses every state-changing browser route from a foreign origin, with the error envelope for API calls", async () => {
    for (const route of browserRoutes) {
      const path = route.path.replace(/\{[^}]+\}/g, "x");
      const form = await h.request(route.method, `${path}?lang=en`, { body: "a=b", headers: { "content-type": FORM, origin: "https://evil.example" } });
      expect(form.status, `${route.method} ${route.path}`).toBe(403);
      const api = await h.request(route.method, path, { json: {}, headers: { origin: "null" } });
      expect([api.status, api.body?.error?.code], `${route.method} ${route.path}`).toEqual([403, "cross_site_request"]);
    }
  });

  it("accepts the site's own origin and same-origin fetches, and stores a sign-up posted from a foreign origin nowhere", async () => {
    const own = new URL(h.cloud.urls.site).origin;
    const ok = await h.request("POST", "/cookies", { body: "choice=all", headers: { "content-type": FORM, origin: own, "sec-fetch-site": "same-origin" } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("set-cookie")).toContain("mm_cookies=");
    // A form posted by the site's own page, which is served with Referrer-Policy: no-referrer, so the
    // browser says `Origin: null` and vouches for it with Sec-Fetch-Site.
    const ownForm = await h.request("POST", "/cookies", { body: "choice=all", headers: { "content-type": FORM, origin: "null", "sec-fetch-site": "same-origin" } });
    expect(ownForm.status).toBe(303);
    // A sibling site is not the site itself, whatever Origin it claims.
    const sibling = await h.request("POST", "/cookies", { body: "choice=all", headers: { "content-type": FORM, origin: own, "sec-fetch-site": "same-site" } });
    expect(sibling.status).toBe(403);
    const before = (await h.allItems()).length;
    const forged = await h.request("POST", "/api/subscriptions", { json: signUp(), headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(403);
    expect((await h.allItems()).length).toBe(before);
    // Servers and tools (no Origin, no Sec-Fetch-Site) are not browsers on another site.
    expect((await h.request("POST", "/api/subscriptions", { json: signUp() })).status).toBe(202);
  });

  it("lets a mailbox provider's RFC 8058 one-click unsubscribe through: it is bound to the token, not to a session", async () => {
    const res = await h.request("POST", "/unsubscribe?token=not-a-token", { body: "List-Unsubscribe=One-Click", headers: { "content-type": FORM, origin: "https://mail.example" } });
    expect(res.status).not.toBe(403);
  });
});
