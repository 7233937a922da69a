import { describe, expect, it } from "vitest";
import type { HttpEvent } from "../../packages/functions/src/lib/http";
import { choiceCookie, cookieChoice, requestCookies, safeReturnPath } from "../../packages/functions/src/lib/cookies";
import { formatCookieChoice, parseCookieChoice } from "../../packages/web/src/cookie-consent";
import { groupByMonth, stockholmMonth } from "../../packages/web/src/content-list";
import { localHref } from "../../packages/web/src/layout";
import type { ContentItem } from "../../packages/core/src/content/schema";

const event = (cookies?: string[], headers: Record<string, string> = {}) => ({ cookies, headers }) as unknown as HttpEvent;

describe("the consent cookie", () => {
  it("round-trips every choice and reads anything else as no choice", () => {
    for (const functional of [true, false]) for (const statistics of [true, false]) expect(parseCookieChoice(formatCookieChoice({ functional, statistics }))).toEqual({ functional, statistics });
    for (const bad of [undefined, "", "v1:f1", "v1:f2:s0", "v2:f1:s1", " v1:f1:s1", "v1:f1:s1;", "V1:F1:S1"]) expect(parseCookieChoice(bad)).toBeUndefined();
  });

  it("is read from the event's cookies (payload v2), first of a name winning, never from a cookie header", () => {
    expect(requestCookies(event(["a=1", "mm_cookies=v1:f1:s0", "mm_cookies=v1:f0:s0", "broken", "=x", "q=%22quoted%22", 'w="v"', "bad=%E0%A4%A"]))).toEqual(
      new Map([["a", "1"], ["mm_cookies", "v1:f1:s0"], ["q", '"quoted"'], ["w", "v"]]),
    );
    expect(cookieChoice(event(["mm_cookies=v1:f0:s1"]))).toEqual({ functional: false, statistics: true });
    expect(cookieChoice(event(undefined, { cookie: "mm_cookies=v1:f1:s1" }))).toBeUndefined();
  });

  it("is set for a year on the whole site, Lax, and Secure over https", () => {
    expect(choiceCookie({ functional: true, statistics: false }, false)).toBe("mm_cookies=v1:f1:s0; Path=/; Max-Age=31536000; SameSite=Lax");
    expect(choiceCookie({ functional: false, statistics: false }, true)).toBe("mm_cookies=v1:f0:s0; Path=/; Max-Age=31536000; SameSite=Lax; Secure");
  });
});

describe("safeReturnPath", () => {
  it("keeps the site's pages with their query and fragment", () => {
    expect(safeReturnPath("/missions/mobility?lang=en#signup", "/x")).toBe("/missions/mobility?lang=en#signup");
    expect(safeReturnPath("/cookies?return=%2Fmissions", "/x")).toBe("/cookies?return=%2Fmissions");
    for (const page of ["/missions", "/missions/food-system/archive", "/confirm?token=abc", "/unsubscribe", "/preferences", "/me"]) {
      expect(safeReturnPath(page, "/x"), page).toBe(page);
    }
  });

  it("answers the normalised path, not the one it was given", () => {
    expect(safeReturnPath("/missions/./mobility", "/x")).toBe("/missions/mobility");
    expect(safeReturnPath("/me/../missions?lang=en", "/x")).toBe("/missions?lang=en");
    expect(safeReturnPath("/a/%2e%2e/preferences", "/x")).toBe("/preferences");
  });

  it("refuses paths that normalise to another host", () => {
    for (const bad of ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/%2E//evil.example", "/a/..//evil.example", "/%2e%2e//evil.example", "/.%2e//evil.example", "/missions/..//evil.example", "/.//evil.example/missions", "/.//evil.example?lang=en#x"]) {
      expect(safeReturnPath(bad, "/fallback"), bad).toBe("/fallback");
    }
  });

  it("refuses anything a browser could read as another host", () => {
    for (const bad of [null, undefined, "", "missions", "//evil.example", "/\\evil.example", "\\/evil.example", "\\\\evil.example", "/.\\/evil.example", "/.\\evil.example", "/%5c/evil.example", "https://evil.example", "https://same.invalid/missions", "//same.invalid/missions", "/\t/evil.example", "/\n/evil.example", " /missions", "javascript:alert(1)", "/javascript:alert(1)", "/missions\\..\\", `/${"a".repeat(600)}`]) {
      expect(safeReturnPath(bad, "/fallback"), String(bad)).toBe("/fallback");
    }
  });

  it("refuses same-site paths that are not one of the site's pages", () => {
    for (const bad of ["/", "/nope", "/missions/", "/Missions", "/missions/Mobility", "/missions/a/b", "/missions/a_b", "/missions/%2Fx", "/subscribe", "/api/missions", "/api/consent", "/assets/site.js", "/staff", "/staff/callback", "/webhooks/content", "/missions/mobility/feed.atom", "/api/staff/runs/x"]) {
      expect(safeReturnPath(bad, "/fallback"), bad).toBe("/fallback");
    }
  });
});

describe("page helpers", () => {
  it("adds lang=en only for English, before any fragment", () => {
    expect(localHref("/missions", "sv")).toBe("/missions");
    expect(localHref("/missions", "en")).toBe("/missions?lang=en");
    expect(localHref("/cookies?return=%2F", "en")).toBe("/cookies?return=%2F&lang=en");
    expect(localHref("/missions/x#signup", "en")).toBe("/missions/x?lang=en#signup");
  });

  it("groups items by their Stockholm month, newest first", () => {
    const item = (id: string, publishedAt: string) => ({ id, kind: "news", publishedAt }) as ContentItem;
    // 23:30 UTC on 31 October is already November in Stockholm.
    expect(stockholmMonth("2026-10-31T23:30:00Z")).toBe("2026-11");
    const groups = groupByMonth([item("a", "2026-09-02T10:00:00Z"), item("b", "2026-10-31T23:30:00Z"), item("c", "2026-11-20T10:00:00Z"), item("d", "2026-09-20T10:00:00Z")]);
    expect(groups.map((g) => [g.month, g.items.map((i) => i.id)])).toEqual([
      ["2026-11", ["c", "b"]],
      ["2026-09", ["d", "a"]],
    ]);
  });
});
