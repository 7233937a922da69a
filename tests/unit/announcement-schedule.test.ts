import { describe, expect, it } from "vitest";
import { parseStockholmTime, stockholmWallString } from "../../packages/core/src/announcements/schedule-time";

/** A fixed "now" before both of 2026's clock changes, so every case below is in the future. */
const NOW = Date.parse("2026-01-15T12:00:00Z");
const instant = (text: string) => {
  const result = parseStockholmTime(text, NOW);
  if (!result.ok) throw new Error(result.message);
  return new Date(result.atMs).toISOString();
};

describe("a send time in Europe/Stockholm", () => {
  it("is UTC+1 in winter and UTC+2 in summer, on both sides of the change on 29 March 2026", () => {
    expect(instant("2026-03-28T09:00")).toBe("2026-03-28T08:00:00.000Z");
    expect(instant("2026-03-29T01:59")).toBe("2026-03-29T00:59:00.000Z");
    expect(instant("2026-03-29T03:00")).toBe("2026-03-29T01:00:00.000Z");
    expect(instant("2026-03-29T09:00")).toBe("2026-03-29T07:00:00.000Z");
  });

  it("is UTC+2 before and UTC+1 after the change on 25 October 2026", () => {
    expect(instant("2026-10-24T09:00")).toBe("2026-10-24T07:00:00.000Z");
    expect(instant("2026-10-25T01:59")).toBe("2026-10-24T23:59:00.000Z");
    expect(instant("2026-10-25T03:00")).toBe("2026-10-25T02:00:00.000Z");
    expect(instant("2026-10-25T09:00")).toBe("2026-10-25T08:00:00.000Z");
  });

  it("refuses 02:30 on 29 March 2026, which Stockholm clocks skip", () => {
    for (const text of ["2026-03-29T02:00", "2026-03-29T02:30", "2026-03-29T02:59"]) {
      expect(parseStockholmTime(text, NOW)).toMatchObject({ ok: false, code: "nonexistent_time", message: expect.stringMatching(/does not exist/) });
    }
  });

  it("refuses 02:30 on 25 October 2026, which Stockholm clocks show twice", () => {
    for (const text of ["2026-10-25T02:00", "2026-10-25T02:30", "2026-10-25T02:59"]) {
      expect(parseStockholmTime(text, NOW)).toMatchObject({ ok: false, code: "ambiguous_time", message: expect.stringMatching(/twice/) });
    }
  });

  it("refuses a time that has passed, one more than a year ahead, and one that is not a real time", () => {
    expect(parseStockholmTime("2026-01-15T12:59", NOW)).toMatchObject({ ok: false, code: "time_in_past" });
    expect(parseStockholmTime("2026-01-15T13:01", NOW)).toMatchObject({ ok: true });
    expect(parseStockholmTime("2027-06-01T09:00", NOW)).toMatchObject({ ok: false, code: "time_too_far" });
    for (const text of ["2026-02-30T09:00", "2026-12-01T24:00", "2026-12-01 09:00", "2026-12-01T09:00Z", "tomorrow"]) {
      expect(parseStockholmTime(text, NOW), text).toMatchObject({ ok: false, code: "invalid_time" });
    }
  });

  it("round-trips to the wall time EventBridge Scheduler's at() takes with the Stockholm time zone", () => {
    for (const text of ["2026-03-29T03:00", "2026-10-25T01:30", "2026-10-25T03:30", "2026-12-01T09:00"]) {
      const result = parseStockholmTime(text, NOW);
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.wall).toBe(text);
        expect(stockholmWallString(result.atMs, true)).toBe(`${text}:00`);
      }
    }
  });
});
