import { describe, expect, it } from "vitest";
import { digestPeriod, nextDigestRun, parsePeriod, periodStart, previousPeriod } from "../../packages/core/src/digest/calendar";
import { stockholmWallTime } from "../../packages/core/src/shared/stockholm-time";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe("stockholmWallTime", () => {
  it("follows Swedish daylight saving", () => {
    expect(stockholmWallTime(at("2026-01-15T12:00:00Z"))).toEqual({ year: 2026, month: 1, day: 15, hour: 13, minute: 0, second: 0, weekday: 4 });
    expect(stockholmWallTime(at("2026-07-15T12:00:00Z"))).toMatchObject({ hour: 14 });
    expect(stockholmWallTime(at("2026-03-29T00:59:59Z"))).toMatchObject({ day: 29, hour: 1, minute: 59 });
    expect(stockholmWallTime(at("2026-03-29T01:00:00Z"))).toMatchObject({ day: 29, hour: 3, minute: 0 });
    expect(stockholmWallTime(at("2026-10-25T00:30:00Z"))).toMatchObject({ day: 25, hour: 2, minute: 30 });
    expect(stockholmWallTime(at("2026-10-25T01:30:00Z"))).toMatchObject({ day: 25, hour: 2, minute: 30 });
  });
});

describe("digestPeriod", () => {
  it("numbers weeks around new year by ISO-8601 rules", () => {
    const weeks: [string, string][] = [
      ["2026-12-27T12:00:00Z", "2026-W52"],
      ["2026-12-28T12:00:00Z", "2026-W53"],
      ["2026-12-31T12:00:00Z", "2026-W53"],
      ["2027-01-01T12:00:00Z", "2026-W53"],
      ["2027-01-03T12:00:00Z", "2026-W53"],
      ["2027-01-04T12:00:00Z", "2027-W01"],
      ["2020-12-31T12:00:00Z", "2020-W53"],
      ["2021-01-03T12:00:00Z", "2020-W53"],
      ["2021-01-04T12:00:00Z", "2021-W01"],
      ["2024-12-30T12:00:00Z", "2025-W01"],
      ["2026-11-25T12:00:00Z", "2026-W48"],
    ];
    for (const [instant, week] of weeks) expect([instant, digestPeriod("weekly", at(instant))]).toEqual([instant, week]);
  });

  it("reads the Stockholm calendar, not UTC, at period boundaries", () => {
    expect(digestPeriod("weekly", at("2027-01-03T22:59:59Z"))).toBe("2026-W53");
    expect(digestPeriod("weekly", at("2027-01-03T23:00:00Z"))).toBe("2027-W01");
    expect(digestPeriod("monthly", at("2026-12-31T22:59:59Z"))).toBe("2026-12");
    expect(digestPeriod("monthly", at("2026-12-31T23:00:00Z"))).toBe("2027-01");
    expect(digestPeriod("monthly", at("2026-05-31T21:59:59Z"))).toBe("2026-05");
    expect(digestPeriod("monthly", at("2026-05-31T22:00:00Z"))).toBe("2026-06");
  });
});

describe("periodStart", () => {
  it("is 00:00 Stockholm time on the week's Monday or the month's first day", () => {
    expect(periodStart("2026-W53")).toBe(at("2026-12-27T23:00:00Z"));
    expect(periodStart("2027-W01")).toBe(at("2027-01-03T23:00:00Z"));
    expect(periodStart("2020-W53")).toBe(at("2020-12-27T23:00:00Z"));
    expect(periodStart("2025-W01")).toBe(at("2024-12-29T23:00:00Z"));
    expect(periodStart("2026-W14")).toBe(at("2026-03-29T22:00:00Z"));
    expect(periodStart("2026-W44")).toBe(at("2026-10-25T23:00:00Z"));
    expect(periodStart("2026-12")).toBe(at("2026-11-30T23:00:00Z"));
    expect(periodStart("2026-10")).toBe(at("2026-09-30T22:00:00Z"));
  });

  it("round-trips with digestPeriod and previousPeriod across years and DST", () => {
    const walks = [
      { cadence: "weekly", first: "2019-W01", steps: 680, stride: 8 * 24 * HOUR },
      { cadence: "monthly", first: "2019-01", steps: 160, stride: 32 * 24 * HOUR },
    ] as const;
    for (const { cadence, first, steps, stride } of walks) {
      let period: string = first;
      for (let i = 0; i < steps; i++) {
        const start = periodStart(period);
        expect(digestPeriod(cadence, start)).toBe(period);
        const next = digestPeriod(cadence, start + stride);
        expect(previousPeriod(next)).toBe(period);
        expect(digestPeriod(cadence, periodStart(next) - 1)).toBe(period);
        period = next;
      }
    }
  });

  it("rejects malformed periods with a clear error", () => {
    for (const bad of ["", "2026", "2026-W1", "2026-W00", "2026-W54", "2027-W53", "2026-13", "2026-00", "26-12", "2026-12-1", "2026-12-32", " 2026-12", "2026-w48", "0999-12"]) {
      expect(() => periodStart(bad), bad).toThrow(/Invalid digest period/);
      expect(() => previousPeriod(bad), bad).toThrow(/Invalid digest period/);
    }
    expect(parsePeriod("2026-W53")).toEqual({ cadence: "weekly", isoYear: 2026, week: 53 });
  });
});

describe("previousPeriod", () => {
  it("steps back across year ends", () => {
    expect(previousPeriod("2027-W01")).toBe("2026-W53");
    expect(previousPeriod("2021-W01")).toBe("2020-W53");
    expect(previousPeriod("2026-W01")).toBe("2025-W52");
    expect(previousPeriod("2026-W48")).toBe("2026-W47");
    expect(previousPeriod("2027-01")).toBe("2026-12");
    expect(previousPeriod("2026-12")).toBe("2026-11");
  });
});

describe("nextDigestRun", () => {
  it("sends weekly digests on Mondays at 08:00 Stockholm time across DST", () => {
    expect(nextDigestRun("weekly", at("2026-03-20T12:00:00Z"))).toBe(at("2026-03-23T07:00:00Z"));
    expect(nextDigestRun("weekly", at("2026-03-23T07:00:00Z"))).toBe(at("2026-03-30T06:00:00Z"));
    expect(nextDigestRun("weekly", at("2026-03-30T05:59:59Z"))).toBe(at("2026-03-30T06:00:00Z"));
    expect(nextDigestRun("weekly", at("2026-10-19T06:00:00Z"))).toBe(at("2026-10-26T07:00:00Z"));
    expect(nextDigestRun("weekly", at("2026-12-28T07:00:00Z"))).toBe(at("2027-01-04T07:00:00Z"));
  });

  it("sends monthly digests on the first Monday of the month at 08:00 Stockholm time", () => {
    expect(nextDigestRun("monthly", at("2026-11-20T12:00:00Z"))).toBe(at("2026-12-07T07:00:00Z"));
    expect(nextDigestRun("monthly", at("2026-12-01T00:00:00Z"))).toBe(at("2026-12-07T07:00:00Z"));
    expect(nextDigestRun("monthly", at("2026-12-07T07:00:00Z"))).toBe(at("2027-01-04T07:00:00Z"));
    expect(nextDigestRun("monthly", at("2027-01-04T07:00:00Z"))).toBe(at("2027-02-01T07:00:00Z"));
    expect(nextDigestRun("monthly", at("2026-03-02T07:00:00Z"))).toBe(at("2026-04-06T06:00:00Z"));
    expect(nextDigestRun("monthly", at("2026-10-05T06:00:00Z"))).toBe(at("2026-11-02T07:00:00Z"));
  });

  it("always lands strictly later, on the right Monday at 08:00, chaining without gaps", () => {
    for (const cadence of ["weekly", "monthly"] as const) {
      let t = at("2025-12-31T12:00:00Z");
      const runs: number[] = [];
      for (let i = 0; i < (cadence === "weekly" ? 110 : 26); i++) {
        const run = nextDigestRun(cadence, t);
        expect(run).toBeGreaterThan(t);
        const wall = stockholmWallTime(run);
        expect([wall.weekday, wall.hour, wall.minute, wall.second]).toEqual([1, 8, 0, 0]);
        if (cadence === "monthly") expect(wall.day).toBeLessThanOrEqual(7);
        expect(nextDigestRun(cadence, run - 1)).toBe(run);
        runs.push(run);
        t = run;
      }
      const periods = runs.map((r) => digestPeriod(cadence, r));
      expect(new Set(periods).size).toBe(runs.length);
      for (let i = 1; i < periods.length; i++) expect(previousPeriod(periods[i]!)).toBe(periods[i - 1]);
    }
  });
});

describe("the daily digest's calendar", () => {
  it("names a day by the Stockholm date, and starts it at local midnight in summer and winter", () => {
    expect(digestPeriod("daily", at("2026-12-01T22:59:59Z"))).toBe("2026-12-01");
    expect(digestPeriod("daily", at("2026-12-01T23:00:00Z"))).toBe("2026-12-02");
    expect(digestPeriod("daily", at("2026-07-01T21:59:59Z"))).toBe("2026-07-01");
    expect(digestPeriod("daily", at("2026-07-01T22:00:00Z"))).toBe("2026-07-02");
    expect(periodStart("2026-12-02")).toBe(at("2026-12-01T23:00:00Z"));
    expect(periodStart("2026-07-02")).toBe(at("2026-07-01T22:00:00Z"));
    expect(previousPeriod("2027-01-01")).toBe("2026-12-31");
    expect(previousPeriod("2028-03-01")).toBe("2028-02-29");
  });

  it("runs at 08:00 Stockholm time every day, across both daylight-saving changes", () => {
    expect(new Date(nextDigestRun("daily", at("2026-03-28T06:59:59Z"))).toISOString()).toBe("2026-03-28T07:00:00.000Z");
    // Summer time starts on 29 March: 08:00 is then 06:00 UTC.
    expect(new Date(nextDigestRun("daily", at("2026-03-28T07:00:00Z"))).toISOString()).toBe("2026-03-29T06:00:00.000Z");
    expect(new Date(nextDigestRun("daily", at("2026-10-24T06:00:00Z"))).toISOString()).toBe("2026-10-25T07:00:00.000Z");
    // Exactly at a run, the next one: a scheduler can chain runs without repeats.
    expect(nextDigestRun("daily", at("2026-12-01T07:00:00Z"))).toBe(at("2026-12-02T07:00:00Z"));
  });

  it("refuses days that do not exist", () => {
    expect(parsePeriod("2026-02-28")).toEqual({ cadence: "daily", year: 2026, month: 2, day: 28 });
    expect(() => parsePeriod("2026-02-29")).toThrow(/has days 01–28/);
    expect(() => parsePeriod("2026-13-01")).toThrow(/month must be 01–12/);
    expect(() => parsePeriod("2026-12-00")).toThrow(/has days 01–31/);
  });
});
