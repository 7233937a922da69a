import { describe, expect, it } from "vitest";
import { AppError } from "../../packages/core/src/shared/errors";
import { rateLimitAddress, rateLimitIp } from "../../packages/core/src/shared/rate-limit-keys";
import { PEPPER, POLICY, subscribeNow as subscribe, world, type SignUpNowDeps as SubscribeDeps, type World } from "../fakes";

describe("the rate-limit key of an address", () => {
  it("drops +tags, lower-cases, and folds dots for Gmail's domains", () => {
    expect(rateLimitAddress("Anna+news@Example.org")).toBe("anna@example.org");
    expect(rateLimitAddress("a.n.n.a+1+2@gmail.com")).toBe("anna@gmail.com");
    expect(rateLimitAddress("A.nna@GoogleMail.com")).toBe("anna@gmail.com");
    // Dots are folded only where the provider ignores them.
    expect(rateLimitAddress("a.nna@example.org")).toBe("a.nna@example.org");
    expect(rateLimitAddress("+only@example.org")).toBe("+only@example.org");
  });
});

describe("the rate-limit key of an IP", () => {
  it("keeps IPv4 as it is and buckets IPv6 by /64, whatever the notation", () => {
    expect(rateLimitIp("198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitIp("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(rateLimitIp("2001:0DB8:0001:0002:ffff:0:0:1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitIp("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(rateLimitIp("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitIp("2001:db8:1:3::1")).not.toBe(rateLimitIp("2001:db8:1:2::1"));
    expect(rateLimitIp("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitIp("not an ip")).toBe("not an ip");
  });
});

describe("sign-up limits use those keys, never the stored address", () => {
  const settings = { addressPepper: PEPPER, ipSalt: "salt", rateLimitPerAddress: 3, rateLimitPerIp: 5, rateWindowSeconds: 3600 };
  const deps = (w: World): SubscribeDeps => ({ store: w.store, limiter: w.limiter, queue: w.mailQueue, clock: w.clock, ids: w.ids, settings });
  const body = (email: string) => ({ email, language: "sv", missions: ["food-system"], topics: ["news"], cadence: "weekly", consent: { newsletter: true, policyVersion: POLICY } });
  const refused = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof AppError ? e.status : e));

  it("counts tagged and dotted variants of one Gmail mailbox together, and stores each address as typed", async () => {
    const w = world();
    for (const email of ["anna+1@gmail.com", "a.nna@googlemail.com", "ANNA+x@gmail.com"]) await subscribe(deps(w), body(email), { source: "api" });
    expect(await refused(subscribe(deps(w), body("an.na+4@gmail.com"), { source: "api" }))).toBe(429);
    const stored = [...w.store.profiles.values()].map((p) => p.email).sort();
    expect(stored).toEqual(["ANNA+x@gmail.com", "a.nna@googlemail.com", "anna+1@gmail.com"].sort());
  });

  it("counts IPv6 sign-ups by /64, so rotating the interface id does not escape the limit", async () => {
    const w = world();
    for (let i = 0; i < 5; i++) await subscribe(deps(w), body(`p${i}@example.org`), { ip: `2001:db8:7:7::${i + 1}`, source: "web" });
    expect(await refused(subscribe(deps(w), body("p9@example.org"), { ip: "2001:db8:7:7:abcd::1", source: "web" }))).toBe(429);
    await expect(subscribe(deps(w), body("p9@example.org"), { ip: "2001:db8:7:8::1", source: "web" })).resolves.toEqual({ status: "pending" });
  });
});
