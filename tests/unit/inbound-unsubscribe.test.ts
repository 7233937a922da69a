import { describe, expect, it } from "vitest";
import { tokenInUnsubscribeEmail, unsubscribeByEmail } from "../../packages/core/src/subscription/unsubscribe-by-email";
import { run } from "../../packages/functions/src/events/inbound-unsubscribe";
import { createWiring } from "../../packages/functions/src/wiring/wiring";
import { RecordingDeadLetters } from "../fakes/platform";
import { world, type World } from "../fakes";

const deps = (w: World) => ({ store: w.store, clock: w.clock, ids: w.ids, tokenKeys: w.tokenKeys, stats: w.stats });
const TO = ["unsubscribe@u.missions.example.org"];

describe("unsubscribe by email (the mailto: in List-Unsubscribe)", () => {
  it("finds the manage token in the subject the mailto sets, after a client's prefix, or in a plus address", () => {
    const token = "eyJ0IjoibWFuYWdlIiwicyI6IngifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWc";
    expect(tokenInUnsubscribeEmail({ subject: `unsubscribe ${token}`, recipients: TO })).toBe(token);
    expect(tokenInUnsubscribeEmail({ subject: `SV: Re: Unsubscribe  ${token} `, recipients: TO })).toBe(token);
    expect(tokenInUnsubscribeEmail({ subject: "Hej!", recipients: [`unsubscribe+${token}@u.missions.example.org`] })).toBe(token);
    expect(tokenInUnsubscribeEmail({ subject: "unsubscribe me please", recipients: TO })).toBeUndefined();
    expect(tokenInUnsubscribeEmail({ subject: undefined, recipients: TO })).toBeUndefined();
  });

  it("unsubscribes the token's subscriber from everything, once, with a withdrawal in the ledger", async () => {
    const w = world();
    w.active("sub-1", { missions: ["food-system", "mobility"] });
    const mail = { subject: `unsubscribe ${w.token("manage", "sub-1")}`, recipients: TO, spamVerdict: "PASS", virusVerdict: "PASS" };
    expect(await unsubscribeByEmail(deps(w), mail)).toEqual({ outcome: "unsubscribed" });
    expect(w.store.profiles.get("sub-1")!.status).toBe("unsubscribed");
    expect((await w.store.ledger("sub-1")).map((r) => [r.event, r.source])).toEqual([["withdrawn", "email"]]);
    // Sent twice (a client retrying): harmless, and no second withdrawal.
    expect(await unsubscribeByEmail(deps(w), mail)).toEqual({ outcome: "unsubscribed" });
    expect((await w.store.ledger("sub-1")).map((r) => r.event)).toEqual(["withdrawn"]);
  });

  it("changes nothing for mail without a valid token, or that SES marks as spam or a virus", async () => {
    const w = world();
    w.active("sub-2");
    const token = w.token("manage", "sub-2");
    const cases: [Parameters<typeof unsubscribeByEmail>[1], string][] = [
      [{ subject: "Please take me off your list", recipients: TO }, "no_token"],
      [{ subject: `unsubscribe ${token.slice(0, -3)}xyz`, recipients: TO }, "invalid_token"],
      [{ subject: `unsubscribe ${w.token("confirm", "sub-2")}`, recipients: TO }, "invalid_token"],
      [{ subject: `unsubscribe ${w.token("manage", "sub-2", w.clock.now() - 400 * 86_400_000)}`, recipients: TO }, "expired_token"],
      [{ subject: `unsubscribe ${token}`, recipients: TO, spamVerdict: "FAIL" }, "spam"],
      [{ subject: `unsubscribe ${token}`, recipients: TO, virusVerdict: "FAIL" }, "virus"],
    ];
    for (const [mail, reason] of cases) expect(await unsubscribeByEmail(deps(w), mail)).toEqual({ outcome: "ignored", reason });
    expect(w.store.profiles.get("sub-2")!.status).toBe("active");
  });

  it("the handler sends an event that is not an SES receipt to the dead-letter queue with its reason", async () => {
    const deadLetters = new RecordingDeadLetters();
    const env = { TABLE_NAME: "t", PUBLIC_URL: "https://missions.example.org", MAIL_FROM: "Missions <news@missions.example.org>", UNSUBSCRIBE_MAILTO: "unsubscribe@missions.example.org", TOKEN_KEYS: "k".repeat(16), ADDRESS_PEPPER: "p".repeat(16), IP_SALT: "s".repeat(16) };
    const wiring = createWiring({ env, feedbackDeadLetters: deadLetters });
    for (const event of [{}, { Records: [] }, { Records: [{ eventSource: "aws:sns", ses: {} }] }, { Records: [{ eventSource: "aws:ses", ses: { mail: { messageId: "m" }, receipt: { recipients: [] } } }] }]) {
      expect(await run(event, undefined, wiring)).toEqual({ outcomes: [] });
    }
    expect(deadLetters.messages).toHaveLength(4);
    for (const m of deadLetters.messages) expect(m.reason).toMatch(/^not an SES receipt event: .*Records/);
  });
});
