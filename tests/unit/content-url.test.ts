import { describe, expect, it } from "vitest";
import { ContentEvent } from "../../packages/core/src/content/schema";
import { checkUrl, HttpUrl, MAX_URL_LENGTH, normaliseUrl } from "../../packages/core/src/content/url";

describe("the content URL rule", () => {
  it("percent-encodes spaces and non-ASCII characters, as a browser would", () => {
    expect(normaliseUrl("https://missions.example.org/publikationer/en rapport")).toBe("https://missions.example.org/publikationer/en%20rapport");
    expect(normaliseUrl("https://missions.example.org/rapport-ö?q=två ord#del två")).toBe(
      "https://missions.example.org/rapport-%C3%B6?q=tv%C3%A5%20ord#del%20tv%C3%A5",
    );
    expect(normaliseUrl("https://exämple.org/x")).toBe("https://xn--exmple-cua.org/x");
  });

  it("trims surrounding whitespace, lower-cases scheme and host, and encodes braces anywhere", () => {
    expect(normaliseUrl("  HTTPS://Missions.Example.ORG/Rapport \n")).toBe("https://missions.example.org/Rapport");
    expect(normaliseUrl("http://missions.example.org/{a}?q={{b}}#{c}")).toBe("http://missions.example.org/%7Ba%7D?q=%7B%7Bb%7D%7D#%7Bc%7D");
  });

  it("leaves a link that is already normal as it is, and normalising twice changes nothing", () => {
    const links = [
      "https://missions.example.org/publikationer/trami-missions-playbook",
      "https://missions.example.org/p?a=1&b=2",
      "https://missions.example.org/publikationer/en rapport",
      "https://exämple.org/ö?q={x} y#z w",
      "http://localhost:3000/a%20b",
    ];
    expect(normaliseUrl(links[0]!)).toBe(links[0]);
    expect(normaliseUrl(links[1]!)).toBe(links[1]);
    for (const link of links) {
      const once = normaliseUrl(link)!;
      expect(once).toBeDefined();
      expect(normaliseUrl(once)).toBe(once);
    }
  });

  it.each([
    ["javascript:alert(1)", /http\(s\)/],
    ["mailto:someone@example.org", /http\(s\)/],
    ["ftp://missions.example.org/file", /http\(s\)/],
    ["missions.example.org/page", /http\(s\)/],
    ["https:missions.example.org/page", /http\(s\)/],
    ["https:///missions.example.org/page", /http\(s\)/],
    ["", /http\(s\)/],
    ["https://missions example.org/page", /host name/],
    ["https://missions.example.org:99999/page", /port/],
    ["https://missions.example.org/a\tb", /control characters/],
    ["https://missions.example.org/a\nb", /control characters/],
    ["https://staff:secret@missions.example.org/", /user name or password/],
    ["https://missions.example.org@evil.example.com/", /user name or password/],
    [`https://missions.example.org/${"ö".repeat(400)}`, /at most 2000/],
  ])("refuses %j with a reason", (raw, reason) => {
    const checked = checkUrl(raw);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(reason);
    expect(normaliseUrl(raw)).toBeUndefined();
  });

  it("counts the limit after encoding", () => {
    const base = "https://missions.example.org/";
    expect(normaliseUrl(base + "a".repeat(MAX_URL_LENGTH - base.length))).toHaveLength(MAX_URL_LENGTH);
    expect(normaliseUrl(base + "a".repeat(MAX_URL_LENGTH - base.length + 1))).toBeUndefined();
  });

  it("parses to the normalised link in a schema, and fails with the rule's reason", () => {
    expect(HttpUrl.parse("https://missions.example.org/en rapport")).toBe("https://missions.example.org/en%20rapport");
    const refused = HttpUrl.safeParse("javascript:alert(1)");
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.message).toMatch(/http\(s\)/);
    expect(HttpUrl.safeParse(42).success).toBe(false);
  });

  it("is the rule of the content event schema, for the item's link and its registration link", () => {
    const item = {
      id: "seminar-1",
      version: 1,
      kind: "seminar",
      missions: ["food-system"],
      language: "sv",
      title: "Seminarium",
      summary: "Sammanfattning.",
      url: "https://missions.example.org/evenemang/ett seminarium",
      registrationUrl: "https://missions.example.org/anmälan",
      publishedAt: "2026-11-20T09:00:00+01:00",
      startsAt: "2026-12-03T09:00:00+01:00",
      endsAt: "2026-12-03T11:00:00+01:00",
      location: "Stockholm",
    };
    const parsed = ContentEvent.parse({ type: "content.published", item });
    expect(parsed.item.url).toBe("https://missions.example.org/evenemang/ett%20seminarium");
    expect(parsed.item.kind === "seminar" && parsed.item.registrationUrl).toBe("https://missions.example.org/anm%C3%A4lan");

    const refused = ContentEvent.safeParse({ type: "content.published", item: { ...item, url: "https://missions example.org/x", registrationUrl: "javascript:x" } });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["item.url", "item.registrationUrl"]));
  });
});
