import { describe, expect, it } from "vitest";
import { confirm, welcomeRequestId } from "../../../packages/core/src/subscription";
import { sendTransactional, welcomeEmail, type TransactionalDeps } from "../../../packages/core/src/campaigns";
import { nextDigestRun } from "../../../packages/core/src/digest";
import { verifyToken } from "../../../packages/core/src/shared/tokens";
import { PEPPER, POLICY, subscribeNow as subscribe, world, type SignUpNowDeps as SubscribeDeps, type World } from "../../fakes";

const settings = { addressPepper: PEPPER, ipSalt: "salt", rateLimitPerAddress: 3, rateLimitPerIp: 5, rateWindowSeconds: 3600 };
const signUp = (w: World): SubscribeDeps => ({ store: w.store, limiter: w.limiter, queue: w.mailQueue, clock: w.clock, ids: w.ids, settings });
const confirming = (w: World) => ({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys, queue: w.mailQueue });
const sender = (w: World): TransactionalDeps => ({
  store: w.store,
  mailer: w.mailer,
  clock: w.clock,
  tokenKeys: w.tokenKeys,
  publicUrl: "https://mail.example.org/",
  unsubscribeMailto: "unsubscribe@mail.example.org",
  replyTo: "Missions <info@mail.example.org>",
  nextDigestRun,
});

/** Signs Anna up with these choices and answers her pending id. */
async function pending(w: World, choices: Record<string, unknown>): Promise<string> {
  await subscribe(
    signUp(w),
    { email: "anna@example.org", language: "en", missions: ["food-system", "mobility"], topics: ["seminar", "news"], cadence: "weekly", consent: { newsletter: true, policyVersion: POLICY }, ...choices },
    { source: "api" },
  );
  const id = w.mailJobs()[0]!.subscriberId;
  w.mailQueue.drain();
  return id;
}

describe("the welcome after a confirmation", () => {
  it("is queued once by the confirmation that activates, never by a retried one", async () => {
    const w = world();
    const id = await pending(w, {});
    const token = w.token("confirm", id);
    expect((await confirm(confirming(w), token)).welcome).toBe("queued");
    expect((await confirm(confirming(w), token)).welcome).toBeUndefined();
    expect(w.mailJobs()).toEqual([{ kind: "welcome", subscriberId: id, requestId: welcomeRequestId(id) }]);
  });

  it("keeps the confirmation when the queue refuses the welcome, and says so", async () => {
    const w = world();
    const id = await pending(w, {});
    const failing = { ...confirming(w), queue: { enqueue: async () => Promise.reject(new Error("queue down")), enqueueMany: async () => Promise.reject(new Error("queue down")) } };
    expect(await confirm(failing, w.token("confirm", id))).toMatchObject({ status: "active", welcome: "not_queued" });
    expect((await w.store.getSubscriber(id, w.clock.now()))!.status).toBe("active");
  });

  it("says what they chose, when the next digest comes, links each mission's archive and carries one-click unsubscribe", async () => {
    const w = world();
    const id = await pending(w, {});
    await confirm(confirming(w), w.token("confirm", id));
    const [job] = w.mailJobs();
    expect(await sendTransactional(sender(w), job!)).toBe("sent");
    expect(await sendTransactional(sender(w), job!)).toBe("skipped_duplicate");
    expect(w.mailer.sent).toHaveLength(1);
    const email = w.mailer.sent[0]!;
    expect(email.to).toBe("anna@example.org");
    expect(email.subject).toBe("Welcome to the Missions newsletter");
    expect(email.html).toContain('<html lang="en"');
    expect(email.html).toMatch(/<h1[^>]*>Welcome – your subscription is confirmed<\/h1>/);
    expect(email.html).toContain("What you chose and when your next email comes.");
    expect(email.html).toContain('<a href="https://mail.example.org/missions/food-system/archive?lang=en">Food system</a>');
    expect(email.html).toContain('<a href="https://mail.example.org/missions/mobility/archive?lang=en">Mobility</a>');
    expect(email.html).toContain("seminars, news");
    expect(email.html).toContain("a weekly update on Mondays");
    // The clock stands on Tuesday 1 December 2026: the next weekly digest is Monday the 7th.
    expect(email.html).toContain("Your next weekly update comes on Monday 7 December 2026.");
    expect(email.text).toContain("- Food system: https://mail.example.org/missions/food-system/archive?lang=en\n- Mobility: https://mail.example.org/missions/mobility/archive?lang=en");
    expect(email.text).not.toMatch(/\{\{|\[\[/);
    expect(email.headers!["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribe = /<(https:\/\/mail\.example\.org\/unsubscribe\?token=([^>&]+))>, <mailto:unsubscribe@mail\.example\.org\?subject=unsubscribe%20/.exec(email.headers!["List-Unsubscribe"]!);
    expect(unsubscribe).not.toBeNull();
    const check = verifyToken(w.tokenKeys, "manage", unsubscribe![2], w.clock.now());
    expect(check.ok && check.claims.sub).toBe(id);
    expect(email.html).toMatch(/href="https:\/\/mail\.example\.org\/preferences\?token=[^"&]+&amp;lang=en"/);
    expect(email.html).toMatch(/href="https:\/\/mail\.example\.org\/unsubscribe\?token=[^"&]+&amp;lang=en"/);
  });

  it("in Swedish, for immediate alerts: 'as soon as something is published', and no digest date", async () => {
    const w = world();
    const id = await pending(w, { language: "sv", cadence: "immediate", missions: ["food-system"], topics: ["publication"] });
    await confirm(confirming(w), w.token("confirm", id));
    await sendTransactional(sender(w), w.mailJobs()[0]!);
    const email = w.mailer.sent[0]!;
    expect(email.subject).toBe("Välkommen till Missions nyhetsbrev");
    expect(email.html).toContain('<html lang="sv"');
    expect(email.html).toContain('<a href="https://mail.example.org/missions/food-system/archive">Livsmedelssystemet</a>');
    expect(email.html).toContain("Nästa mejl kommer så snart något publiceras.");
    expect(email.html).toContain("publikationer");
    expect(email.html).not.toContain("Mobilitet");
  });

  it("names the first Monday of next month for a monthly digest", () => {
    const w = world();
    w.clock.set("2026-12-08T09:00:00.000Z"); // a Tuesday after December's first Monday
    const { values } = welcomeEmail(sender(w), { id: "s1", language: "en", missions: ["food-system"], topics: ["news"], cadence: "monthly" }, [], w.clock.now());
    expect(values.nextEmail).toBe("Your next monthly update comes on Monday 4 January 2027.");
  });

  it("is not sent to someone who unsubscribed before it went out", async () => {
    const w = world();
    const anna = w.active("sub-anna", { status: "unsubscribed" });
    expect(await sendTransactional(sender(w), { kind: "welcome", subscriberId: anna.id, requestId: welcomeRequestId(anna.id) })).toBe("skipped_state");
    expect(w.mailer.sent).toEqual([]);
  });
});
