import { describe, expect, it } from "vitest";
import { normaliseAddress } from "../../packages/core/src/shared/email-address";

describe("normaliseAddress", () => {
  it.each([
    ["  Anna@Example.ORG ", "Anna@example.org"],
    ["a.b+news@sub.example.org", "a.b+news@sub.example.org"],
    ["kalle@räksmörgås.se", "kalle@xn--rksmrgs-5wao1o.se"],
  ])("normalises %j to %j", (input, expected) => {
    expect(normaliseAddress(input)).toEqual({ ok: true, address: expected });
  });

  it.each([
    ["", /empty/],
    ["no-at-sign", /name@example.org/],
    ["a@b", /domain/],
    ["a@-bad-.org", /domain/],
    ["two@@example.org", /not a valid mailbox|not allowed/],
    [".dot@example.org", /not a valid mailbox/],
    ["line\r\nbreak@example.org", /not allowed/],
    ["x".repeat(65) + "@example.org", /64/],
    ["a@" + ["d", "e", "f", "g"].map((c) => c.repeat(63)).join(".") + ".org", /254/],
  ])("refuses %j with a reason", (input, reason) => {
    const result = normaliseAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
