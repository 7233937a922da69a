import { describe, expect, it } from "vitest";
import { countForRecipients, daysBetween, missionSeries, statsDay } from "../../packages/core/src/stats/mission-stats";
import { countService } from "../../packages/core/src/stats/service-totals";
import { StatsTally } from "../../packages/core/src/stats/tally";

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

describe("a tally of one send invocation's counters", () => {
  it("sums what its batches add and writes each mission's day and the service's day once, at the flush", async () => {
    const missionAdds: [string, string, Record<string, number>, number | undefined][] = [];
    const serviceAdds: [string, Record<string, number>, string][] = [];
    const tally = new StatsTally({
      stats: { add: async (m, day, counts, total) => void missionAdds.push([m, day, counts as Record<string, number>, total]), read: async () => ({ days: new Map(), total: 0 }) },
      totals: { add: async (day, counts, shard) => void serviceAdds.push([day, counts as Record<string, number>, shard]), read: async () => new Map() },
    });
    const at = Date.parse("2026-12-07T08:00:00Z");
    await countForRecipients(tally.stats, [["mobility", "food-system"], ["mobility"]], "sent", at);
    await countService(tally.totals, { sent: 2 }, "c#1", at);
    await countForRecipients(tally.stats, [["mobility"]], "sent", at);
    await countService(tally.totals, { sent: 1 }, "c#2", at);
    expect(missionAdds).toEqual([]);
    expect(serviceAdds).toEqual([]);
    await tally.flush();
    expect(missionAdds.sort()).toEqual([
      ["food-system", "2026-12-07", { sent: 1 }, undefined],
      ["mobility", "2026-12-07", { sent: 3 }, undefined],
    ]);
    expect(serviceAdds).toEqual([["2026-12-07", { sent: 3 }, "c#1"]]);
    // Flushed once: a second flush writes nothing again.
    await tally.flush();
    expect(missionAdds).toHaveLength(2);
    expect(serviceAdds).toHaveLength(1);
  });

  it("has nothing to count into when there is no store", () => {
    const tally = new StatsTally({});
    expect(tally.stats).toBeUndefined();
    expect(tally.totals).toBeUndefined();
  });
});
