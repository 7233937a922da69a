import { describe, expect, it } from "vitest";
import { Agenda, DEFAULT_LATENCIES_MS, PerSecond, readUnits, reserveSlot, simulate, simulationGoals, writeUnits, type SimInputs } from "../../bench/lib/simulation";
import { costPer100k, totalUsd } from "../../bench/lib/cost";
import { depthChart } from "../../bench/lib/simulation-report";
import { replaceSection } from "../../bench/simulate";

const base: SimInputs = {
  recipients: 100_000,
  batchSize: 50,
  variants: 100,
  compileMsPerVariant: 50,
  fanoutPartitions: 15,
  membershipItemBytes: 200,
  batchItemBytes: 1_700,
  variantItemBytes: 6_000,
  campaignHeaderBytes: 300,
  sesRatePerSecond: 500,
  senderConcurrency: 2,
  senderBatchSize: 10,
  freezeEvery: 100,
  pacerUpdatesPerBatch: 1,
  historyWritesPerBatch: 2,
  outboxShards: 1,
  counterShards: 1,
  feedbackCounters: true,
  batchPartitions: false,
  latenciesMs: DEFAULT_LATENCIES_MS,
};

describe("the simulation's arithmetic", () => {
  it("runs events in time order, ties in the order they were scheduled, and later events scheduled from earlier ones", () => {
    const agenda = new Agenda();
    const seen: string[] = [];
    agenda.at(3, () => seen.push("c"));
    agenda.at(1, () => {
      seen.push("a");
      agenda.at(2, () => seen.push("b2"));
    });
    agenda.at(2, () => seen.push("b1"));
    for (let i = 0; i < 50; i++) agenda.at(10 + ((i * 37) % 50), () => seen.push(String(10 + ((i * 37) % 50))));
    expect(agenda.run()).toBe(59);
    expect(seen.slice(0, 4)).toEqual(["a", "b1", "b2", "c"]);
    expect(seen.slice(4).map(Number)).toEqual(Array.from({ length: 50 }, (_, i) => 10 + i));
  });

  it("books pacer slots as the GCRA does: back to back while busy, at once when idle", () => {
    let { startAt, tat } = reserveSlot(0, 10, 50, 500);
    expect([startAt, tat]).toEqual([10, 10.1]);
    ({ startAt, tat } = reserveSlot(tat, 10.05, 50, 500));
    expect(startAt).toBe(10.1);
    expect(tat).toBeCloseTo(10.2);
    ({ startAt, tat } = reserveSlot(tat, 12, 25, 500));
    expect([startAt, tat]).toEqual([12, 12.05]);
  });

  it("prices writes per KB (doubled in transactions) and reads per 4 KB (halved when eventually consistent)", () => {
    expect(writeUnits(100)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(1_700, true)).toBe(4);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(1024 * 1024, false)).toBe(128);
  });

  it("sums units per whole second and answers the busiest", () => {
    const s = new PerSecond();
    s.add(0.2, 3);
    s.add(0.9, 4);
    s.add(1.0, 5);
    expect(s.peak()).toBe(7);
    expect(s.total()).toBe(12);
  });

  it("sends everyone at the SES rate once planning has started the queue, and sharding the sweep index divides its peak", () => {
    const r = simulate(base);
    // Rate-bound: 100,000 at 500/s is 200 s, after the first send.
    expect(r.lastSendSeconds - r.firstSendSeconds).toBeGreaterThan(199);
    expect(r.lastSendSeconds - r.firstSendSeconds).toBeLessThan(202);
    expect(r.senderInvocations).toBe(200);
    expect(r.queueDepth.at(-1)).toBe(0);
    expect(Math.max(...r.queueDepth)).toBeGreaterThan(0);
    // The pacer item takes a reservation per batch: 10 a second at 500/s whatever the audience, and at
    // most one per batch in flight in the first second.
    expect(r.keys[0]!.peakPerSecond).toBeLessThanOrEqual(base.senderConcurrency * base.senderBatchSize);
    const sharded = simulate({ ...base, outboxShards: 8 });
    const index = (x: typeof r) => x.keys.find((k) => k.key.startsWith("sweep index"))!.peakPerSecond;
    expect(index(sharded)).toBeLessThan(index(r) / 6);
    expect(sharded.totalSeconds).toBeCloseTo(r.totalSeconds, 0);
    // Counters in shards take the Delivery events off the campaign header.
    const header = (x: typeof r) => x.keys.find((k) => k.key.startsWith("campaign header"))!.peakPerSecond;
    expect(header(simulate({ ...base, counterShards: 10 }))).toBeLessThan(header(r) / 5);
    const goals = simulationGoals(base, r);
    expect(goals.totalGoal).toBeCloseTo(100_000 / 475 + 60);
    expect(goals.total).toBe(true);
  });

  it("with batch items in partitions of their own, freezing a million recipients' batches leaves every partition under half its limit", () => {
    const million = { ...base, recipients: 1_000_000, variants: 300, compileMsPerVariant: 28, outboxShards: 8, counterShards: 10, campaignHeaderBytes: 9_888 };
    const shared = simulate(million);
    const own = simulate({ ...million, batchPartitions: true });
    const peak = (x: typeof own, prefix: string) => x.keys.find((k) => k.key.startsWith(prefix))?.peakPerSecond;
    // In the campaign's partition, a hundred 4-unit puts a transaction, several transactions a second.
    expect(peak(shared, "campaign partition")!).toBeGreaterThan(1_000);
    expect(peak(shared, "batch partitions")).toBeUndefined();
    expect(peak(own, "campaign partition")!).toBeLessThan(500);
    // One batch's partition takes its freeze (4 units) and then its lease and completion.
    expect(peak(own, "batch partitions")!).toBeGreaterThanOrEqual(4);
    expect(peak(own, "batch partitions")!).toBeLessThanOrEqual(8);
    expect(simulationGoals({ ...million, feedbackCounters: false, batchPartitions: true }, simulate({ ...million, feedbackCounters: false, batchPartitions: true })).keys).toBe(true);
    // The header's numbering adds one small write per freeze; the send times do not move.
    expect(own.totalSeconds).toBeCloseTo(shared.totalSeconds, -1);
  }, 60_000);

  it("puts its section in place in BENCHMARKS.md, leaving the sections around it as they were", () => {
    const doc = "# B\n\n## 5. Cost\n\nfive\n\n## 6. Sim\n\nold\n\n## 7. Later\n\nseven\n";
    expect(replaceSection(doc, "## 6. ", "## 6. Sim\n\nnew\n")).toBe("# B\n\n## 5. Cost\n\nfive\n\n## 6. Sim\n\nnew\n\n## 7. Later\n\nseven\n");
    expect(replaceSection("# B\n\n## 6. Sim\n\nold\n", "## 6. ", "## 6. Sim\n\nnew\n")).toBe("# B\n\n## 6. Sim\n\nnew\n");
    expect(replaceSection("# B\n", "## 6. ", "## 6. Sim\n")).toBe("# B\n\n## 6. Sim\n");
  });

  it("draws the queue depth scaled to its peak", () => {
    const chart = depthChart([0, 50, 100, 25], 60, 10, 10).split("\n");
    expect(chart).toHaveLength(4);
    expect(chart[2]).toBe("   2 min | ########## 100");
    expect(chart[1]).toBe("   1 min | ##### 50");
  });

  it("prices 100,000 digests from counts scaled per recipient", () => {
    const phase = (writeUnits: number, readUnits: number) => ({ requests: {}, writeUnits, readUnits, invocations: 1, invocationSeconds: 1, logBytes: 0 });
    const lines = costPer100k({ recipients: 1_000, batches: 20, planner: phase(100, 0), sender: phase(900, 0), sesRatePerSecond: 500 }, { plannerSeconds: 0, senderSeconds: 0 });
    const writes = lines.find((l) => l.what.startsWith("write request units, planner"))!;
    expect(writes.quantity).toBe(100_000);
    expect(writes.usd).toBeCloseTo(0.06625);
    expect(totalUsd(lines)).toBeGreaterThan(writes.usd);
  });
});
