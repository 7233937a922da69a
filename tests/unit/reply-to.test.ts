import { describe, expect, it } from "vitest";
import { parseConfig } from "../../packages/core/src/platform/config";
import { teamReplyTo, type Mission } from "../../packages/core/src/shared/missions";

const mission = (id: string, teamAddress?: string): Mission => ({
  id,
  name: { sv: id, en: id },
  description: { sv: "", en: "" },
  contact: `${id}@example.org`,
  status: "active",
  ...(teamAddress ? { teamAddress } : {}),
});
const catalogue = [mission("food", "food-team@example.org"), mission("mobility", "mobility-team@example.org"), mission("health"), mission("shared", "food-team@example.org")];

describe("where replies go", () => {
  it("mail about one mission answers to its team; several teams, or none, leave it to the general address", () => {
    expect(teamReplyTo(["food"], catalogue)).toBe("food-team@example.org");
    expect(teamReplyTo(["food", "food"], catalogue)).toBe("food-team@example.org");
    // Missions that share one team address still reach that team.
    expect(teamReplyTo(["food", "shared"], catalogue)).toBe("food-team@example.org");
    expect(teamReplyTo(["food", "mobility"], catalogue)).toBeUndefined();
    expect(teamReplyTo(["food", "health"], catalogue)).toBeUndefined();
    expect(teamReplyTo(["health"], catalogue)).toBeUndefined();
    expect(teamReplyTo(["unknown"], catalogue)).toBeUndefined();
    expect(teamReplyTo([], catalogue)).toBeUndefined();
  });

  it("the general address is REPLY_TO, by default info@ at the sending domain, and must be an address", () => {
    const env = { TABLE_NAME: "t", PUBLIC_URL: "https://missions.example.org", MAIL_FROM: "Missions <news@mail.example.se>", UNSUBSCRIBE_MAILTO: "u@mail.example.se", TOKEN_KEYS: "k".repeat(16), ADDRESS_PEPPER: "p".repeat(16), IP_SALT: "s".repeat(16) };
    expect(parseConfig(env).REPLY_TO).toBe("Missions <info@mail.example.se>");
    expect(parseConfig({ ...env, MAIL_FROM: "news@other.example.org" }).REPLY_TO).toBe("Missions <info@other.example.org>");
    expect(parseConfig({ ...env, REPLY_TO: "Redaktionen <red@example.org>" }).REPLY_TO).toBe("Redaktionen <red@example.org>");
    expect(parseConfig({ ...env, REPLY_TO: "red@example.org" }).REPLY_TO).toBe("red@example.org");
    expect(() => parseConfig({ ...env, REPLY_TO: "not an address" })).toThrow(/REPLY_TO/);
    expect(() => parseConfig({ ...env, REPLY_TO: "a@example.org\r\nBcc: x@y.org" })).toThrow(/REPLY_TO/);
  });
});
