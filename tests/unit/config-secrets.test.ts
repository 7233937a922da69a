import { describe, expect, it } from "vitest";
import { parseConfig } from "../../packages/core/src/platform/config";

const BASE = {
  TABLE_NAME: "table",
  PUBLIC_URL: "https://missions.example.org",
  MAIL_FROM: "Missions <news@missions.example.org>",
  UNSUBSCRIBE_MAILTO: "unsubscribe@missions.example.org",
};

describe("secrets in the configuration", () => {
  it("parses without the secrets a function does not read, and names the one it reads but lacks", () => {
    const cfg = parseConfig({ ...BASE, ADDRESS_PEPPER: "address-pepper-000000000000" });
    expect(cfg.ADDRESS_PEPPER).toBe("address-pepper-000000000000");
    expect(cfg.PUBLIC_URL).toBe("https://missions.example.org");
    expect(() => cfg.TOKEN_KEYS).toThrow(/TOKEN_KEYS is required here but not set/);
    expect(() => cfg.IP_SALT).toThrow(/IP_SALT/);
  });

  it("still checks a secret that is set, at parse", () => {
    expect(() => parseConfig({ ...BASE, TOKEN_KEYS: "short" })).toThrow(/TOKEN_KEYS/);
    expect(() => parseConfig({ ...BASE, IP_SALT: "short" })).toThrow(/IP_SALT/);
    expect(parseConfig({ ...BASE, TOKEN_KEYS: "token-key-0000000000000000, token-key-1111111111111111" }).TOKEN_KEYS).toHaveLength(2);
  });
});
