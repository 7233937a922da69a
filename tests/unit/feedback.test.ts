import { describe, expect, it } from "vitest";
import { applyFeedback, SOFT_BOUNCE_WINDOW_MS, type FeedbackDeps, type SesEventDetail } from "../../packages/core/src/feedback";
import { checkAutoPause } from "../../packages/core/src/announcements";
import { campaignTag } from "../../packages/core/src/shared/campaign-tags";
import { MemoryFeedbackStore, PEPPER, world, type World } from "../fakes";

const KEY = "announcement#01JFEEDBACK";
const tags = { campaign: [campaignTag(KEY)], batch: ["1"], recipient: ["a"] };
const bounce = (type: "Permanent" | "Transient", to = "a@example.org"): SesEventDetail => ({ eventType: "Bounce", mail: { messageId: "m1", tags }, bounce: { bounceType: type, bouncedRecipients: [{ emailAddress: to }] } }) as SesEventDetail;
const complaint = (to = "a@example.org"): SesEventDetail => ({ eventType: "Complaint", mail: { messageId: "m1", tags }, complaint: { complainedRecipients: [{ emailAddress: to }] } }) as SesEventDetail;

function setup() {
  const w = world();
  const feedback = new MemoryFeedbackStore((campaign, counter) => {
    if (counter === "bounced" || counter === "complained" || counter === "delivered" || counter === "unsubscribed") w.outbox.count(campaign, counter);
  });
  const deps: FeedbackDeps = { store: w.store, feedback, clock: w.clock, ids: w.ids, addressPepper: PEPPER, stats: w.stats };
  return { w, feedback, deps };
}
const status = (w: World) => w.store.profiles.get("a")?.status;

describe("SES feedback", () => {
  it("a hard bounce suppresses the address (the subscriber stays subscribed) and counts once per event id", async () => {
    const { w, feedback, deps } = setup();
    w.active("a");
    await w.outbox.openCampaign(KEY, "announcement", w.clock.now());
    expect(await applyFeedback(deps, "ev-1", bounce("Permanent"))).toEqual({ eventType: "Bounce", campaign: KEY, counted: true, suppressed: 1, unsubscribed: 0 });
    expect(await applyFeedback(deps, "ev-1", bounce("Permanent"))).toMatchObject({ counted: false });
    expect(await w.store.suppression(w.hmac("a@example.org"))).toMatchObject({ reason: "hard-bounce" });
    expect(status(w)).toBe("active");
    expect((await w.outbox.campaignStatus(KEY))!.bounced).toBe(1);
    expect(w.stats.sum("food-system", "bounced")).toBe(1);
    expect(feedback.notes[0]).toMatchObject({ subscriberId: "a", campaign: KEY, event: "bounce:Permanent" });
  });

  it("a complaint suppresses, unsubscribes and records a withdrawal with source feedback", async () => {
    const { w, deps } = setup();
    w.active("a");
    expect(await applyFeedback(deps, "ev-2", complaint())).toMatchObject({ suppressed: 1, unsubscribed: 1 });
    expect(await w.store.suppression(w.hmac("a@example.org"))).toMatchObject({ reason: "complaint" });
    expect(status(w)).toBe("unsubscribed");
    expect(w.store.memberships.size).toBe(0);
    expect((await w.store.ledger("a")).map((r) => [r.event, r.source])).toEqual([["withdrawn", "feedback"]]);
    expect(await applyFeedback(deps, "ev-2", complaint())).toMatchObject({ counted: false, unsubscribed: 0 });
  });

  it("suppresses at the third soft bounce within 30 days, not before, and not for bounces spread wider", async () => {
    const { w, deps } = setup();
    w.active("a");
    await applyFeedback(deps, "soft-1", bounce("Transient"));
    await applyFeedback(deps, "soft-1", bounce("Transient")); // a redelivery is the same bounce
    w.clock.advance(10 * 86_400_000);
    expect(await applyFeedback(deps, "soft-2", bounce("Transient"))).toMatchObject({ suppressed: 0 });
    expect(await w.store.isSuppressed(w.hmac("a@example.org"))).toBe(false);
    w.clock.advance(10 * 86_400_000);
    expect(await applyFeedback(deps, "soft-3", bounce("Transient"))).toMatchObject({ suppressed: 1 });
    expect(await w.store.suppression(w.hmac("a@example.org"))).toMatchObject({ reason: "soft-bounces" });

    const other = setup();
    for (let i = 0; i < 3; i++) {
      await applyFeedback(other.deps, `wide-${i}`, bounce("Transient", "b@example.org"));
      other.w.clock.advance(SOFT_BOUNCE_WINDOW_MS / 2 + 1);
    }
    expect(await other.w.store.isSuppressed(other.w.hmac("b@example.org"))).toBe(false);
  });

  it("marks a rendering failure's batch entry failed with SES's reason", async () => {
    const { feedback, deps } = setup();
    await applyFeedback(deps, "ev-r", { eventType: "Rendering Failure", mail: { messageId: "m1", tags }, failure: { errorMessage: "Attribute 'x' is not present" } } as SesEventDetail);
    expect([...feedback.failedEntries]).toEqual([[`${KEY}|1|a`, "rendering: Attribute 'x' is not present"]]);
  });
});

describe("automatic pause of an announcement", () => {
  const settings = { minSample: 100, complaintRate: 0.001, bounceRate: 0.05 };
  async function sending(w: World, sent: number) {
    await w.outbox.openCampaign(KEY, "announcement", w.clock.now());
    await w.outbox.addPlanned(KEY, sent, 1, 0, "s1");
    w.outbox.campaigns.get(KEY)!.sent = sent;
  }

  it("pauses over the complaint rate once the minimum sample is sent, not before", async () => {
    const { w } = setup();
    await sending(w, 99);
    w.outbox.count(KEY, "complained", 5);
    expect(await checkAutoPause({ campaigns: w.outbox, clock: w.clock }, KEY, settings)).toBeUndefined();
    w.outbox.campaigns.get(KEY)!.sent = 1000;
    const reason = await checkAutoPause({ campaigns: w.outbox, clock: w.clock }, KEY, settings);
    expect(reason).toMatchObject({ code: "complaint_rate" });
    expect(reason!.message).toContain("5 complaints for 1000 emails sent (0.5%)");
    expect(reason).toMatchObject({ count: 5, sent: 1000, rate: 0.005, limit: 0.001 });
    expect((await w.outbox.campaignStatus(KEY))!.state).toBe("paused");
  });

  it("pauses over the bounce rate, counts only what came after a resume, and never pauses one person's collected alert email", async () => {
    const { w } = setup();
    await sending(w, 1000);
    w.outbox.count(KEY, "bounced", 60);
    expect(await checkAutoPause({ campaigns: w.outbox, clock: w.clock }, KEY, settings)).toMatchObject({ code: "bounce_rate" });
    await w.outbox.resumeCampaign(KEY, new Date(w.clock.now()).toISOString());
    w.outbox.campaigns.get(KEY)!.sent = 1200;
    expect(await checkAutoPause({ campaigns: w.outbox, clock: w.clock }, KEY, settings)).toBeUndefined();
    w.outbox.count(KEY, "bounced", 11);
    expect(await checkAutoPause({ campaigns: w.outbox, clock: w.clock }, KEY, settings)).toMatchObject({ code: "bounce_rate" });
    const bundle = "alert-bundle#sub-1#1767225600000";
    await w.outbox.openCampaign(bundle, "alert-bundle", w.clock.now());
    await w.outbox.addPlanned(bundle, 1000, 1, 0, "s1");
    w.outbox.campaigns.get(bundle)!.sent = 1000;
    w.outbox.count(bundle, "bounced", 600);
    expect(await checkAutoPause({ campaigns: w.outbox, clock: w.clock }, bundle, settings)).toBeUndefined();
    expect((await w.outbox.campaignStatus(bundle))!.state).toBe("sending");
  });
});
