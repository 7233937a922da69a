import { describe, expect, it } from "vitest";
import { daysBetween, missionSeries, statsDay } from "../../packages/core/src/stats/mission-stats";

describe("per-mission statistics", () => {
  it("counts days in Stockholm, across both daylight-saving changes", () => {
    expect(statsDay(Date.parse("2026-03-28T23:30:00Z"))).toBe("2026-03-29"); // 00:30 CET
    expect(statsDay(Date.parse("2026-03-29T21:59:00Z"))).toBe("2026-03-29"); // 23:59 CEST
    expect(statsDay(Date.parse("2026-03-29T22:00:00Z"))).toBe("2026-03-30");
    expect(statsDay(Date.parse("2026-10-25T22:59:00Z"))).toBe("2026-10-25"); // 23:59 CET
    expect(statsDay(Date.parse("2026-10-25T23:00:00Z"))).toBe("2026-10-26");
  });

  it("lists every day of a window, months and leap days included", () => {
    expect(daysBetween("2028-02-27", "2028-03-01")).toEqual(["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01"]);
    expect(daysBetween("2026-11-23", "2026-11-23")).toEqual(["2026-11-23"]);
  });

  it("works each day's subscriber count back from the running total, with zeros for quiet days", () => {
    const rows = new Map([
      ["2026-11-20", { joined: 3 }],
      ["2026-11-22", { joined: 1, left: 2, sent: 5 }],
    ]);
    const series = missionSeries(daysBetween("2026-11-19", "2026-11-23"), rows, 10);
    expect(series.map((d) => [d.day, d.subscribers])).toEqual([
      ["2026-11-19", 8],
      ["2026-11-20", 11],
      ["2026-11-21", 11],
      ["2026-11-22", 10],
      ["2026-11-23", 10],
    ]);
    expect(series[3]).toMatchObject({ joined: 1, left: 2, sent: 5, bounced: 0, complained: 0, unsubscribed: 0 });
  });
});
