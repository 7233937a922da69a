/**
 * `npm run simulate [-- --from results.json] [--recipients N]`: the 1,000,000-recipient simulation
 * (bench/lib/simulation.ts), driven by the per-call counts of a bench run (the raw results that
 * `npm run bench` writes) or, without one, by the counts stated in `STATED`. Prints section 6 of
 * BENCHMARKS.md.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SENDER_BATCH_SIZE, SENDER_MAX_CONCURRENCY } from "../stacks/sizes";
import { COUNTER_SHARDS, OUTBOX_SHARDS } from "@mission-mail/core/platform/table-keys";
import { DEFAULT_LATENCIES_MS, simulate, type SimInputs } from "./lib/simulation";
import { renderSimulation, type SimulationReport } from "./lib/simulation-report";
import type { DigestRunResult } from "./lib/report";

/** What a planning step adds to the campaign header's step set, in bytes (a planner id and a batch number). */
const STEP_BYTES = 48;

/** Counts from the 100,000-recipient weekly digest, used when no bench results are given. */
export const STATED = { variants: 307, compileMsPerVariant: 60, campaignHeaderBytes: 300, pacerUpdatesPerBatch: 1.1 };

/** The simulation's inputs for `recipients`, from a digest run's counts where there are some. */
export function simulationInputs(recipients: number, run?: DigestRunResult): { source: string; input: SimInputs } {
  const variants = run?.planning.variants || STATED.variants;
  const compileMs = run && run.planning.variants > 1 ? (1000 * run.planning.compileSeconds) / (run.planning.variants - 1) : STATED.compileMsPerVariant;
  const batches = run?.counted?.batches || 1;
  const pacerUpdates = run ? (run.trace["dynamodb.Update@pacer.reserve"]?.calls ?? 0) / batches : STATED.pacerUpdatesPerBatch;
  const baseHeader = run?.counted?.campaignHeaderBytes ?? STATED.campaignHeaderBytes;
  const freezeEvery = 100;
  const flushes = Math.ceil(recipients / 50 / freezeEvery);
  return {
    source: run ? `counted in the bench's weekly digest of ${run.planned.toLocaleString("en")} recipients` : "stated from the last full bench run",
    input: {
      recipients,
      batchSize: 50,
      variants,
      compileMsPerVariant: compileMs,
      fanoutPartitions: 15,
      membershipItemBytes: 200,
      batchItemBytes: 50 * 29 + 250,
      variantItemBytes: 6_000,
      // The header keeps the set of planning steps it counted: one more per hundred batches.
      campaignHeaderBytes: baseHeader + flushes * STEP_BYTES,
      sesRatePerSecond: 500,
      senderConcurrency: SENDER_MAX_CONCURRENCY,
      senderBatchSize: SENDER_BATCH_SIZE,
      freezeEvery,
      pacerUpdatesPerBatch: Math.max(1, pacerUpdates),
      historyWritesPerBatch: 2,
      outboxShards: OUTBOX_SHARDS,
      counterShards: COUNTER_SHARDS,
      feedbackCounters: true,
      latenciesMs: DEFAULT_LATENCIES_MS,
    },
  };
}

/** The simulation as the product is, and as it was before the shards, for one input. */
export function simulationReport(recipients: number, run?: DigestRunResult): SimulationReport {
  const { source, input } = simulationInputs(recipients, run);
  const before = { ...input, outboxShards: 1, counterShards: 1 };
  return {
    source,
    scenarios: [
      { label: `As built: feedback counters in ${input.counterShards} shards, the sweep index in ${input.outboxShards}`, input, result: simulate(input) },
      { label: "Before: one campaign header for every counter, one sweep index partition", input: before, result: simulate(before) },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { from: { type: "string" }, recipients: { type: "string" } } });
  const run = values.from ? ((JSON.parse(readFileSync(values.from, "utf8")) as { e2e: { main: DigestRunResult } }).e2e.main) : undefined;
  process.stdout.write(renderSimulation(simulationReport(Number(values.recipients ?? 1_000_000), run)));
}
