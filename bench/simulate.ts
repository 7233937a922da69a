/**
 * `npm run simulate [-- --from results.json] [--recipients N] [--write]`: the 1,000,000-recipient
 * simulation (bench/lib/simulation.ts), driven by the per-call counts of a bench run (the raw results
 * that `npm run bench` writes) or, without one, by the counts stated in `STATED`. Prints section 6 of
 * BENCHMARKS.md, or with `--write` puts it in place there.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SENDER_BATCH_SIZE, SENDER_MAX_CONCURRENCY } from "../stacks/sizes";
import { COUNTER_SHARDS, OUTBOX_SHARDS } from "@mission-mail/core/platform/table-keys";
import { DEFAULT_LATENCIES_MS, simulate, type SimInputs } from "./lib/simulation";
import { renderSimulation, type SimulationReport } from "./lib/simulation-report";
import type { DigestRunResult } from "./lib/report";
import { REPO_ROOT } from "./lib/child";

/** What a planning step adds to the campaign header's step set, in bytes (a planner id and a batch number). */
const STEP_BYTES = 48;

/** Counts from the last full bench run's 100,000-subscriber weekly digest (BENCHMARKS.md, sections 2 and 5), used when no bench results are given. */
export const STATED = { variants: 308, compileMsPerVariant: 28, campaignHeaderBytes: 288, pacerUpdatesPerBatch: 1.37 };

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
      // A digest's Delivery events are noted on each recipient's delivery record, not counted.
      feedbackCounters: false,
      batchPartitions: true,
      latenciesMs: DEFAULT_LATENCIES_MS,
    },
  };
}

/** The simulation as the product is, and as it was before batches had partitions of their own, for one input. */
export function simulationReport(recipients: number, run?: DigestRunResult): SimulationReport {
  const { source, input } = simulationInputs(recipients, run);
  const before = { ...input, batchPartitions: false, feedbackCounters: true };
  return {
    source,
    scenarios: [
      { label: `As built: batch items in partitions of their own, the sweep index in ${input.outboxShards} shards, a digest's Delivery events not counted`, input, result: simulate(input) },
      { label: `Before: batch items in the campaign's partition, Delivery events counted in ${input.counterShards} shards`, input: before, result: simulate(before) },
    ],
  };
}

/** `markdown` with its section that starts at `heading` (up to the next "## " heading) replaced by `section`. */
export function replaceSection(markdown: string, heading: string, section: string): string {
  const start = markdown.indexOf(`\n${heading}`);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf("\n## ", start + 1);
  return `${markdown.slice(0, start + 1)}${section.trimEnd()}\n${next < 0 ? "" : markdown.slice(next)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { from: { type: "string" }, recipients: { type: "string" }, write: { type: "boolean" } } });
  const run = values.from ? ((JSON.parse(readFileSync(values.from, "utf8")) as { e2e: { main: DigestRunResult } }).e2e.main) : undefined;
  const section = renderSimulation(simulationReport(Number(values.recipients ?? 1_000_000), run));
  if (values.write) {
    // Section 6 of BENCHMARKS.md, in place: the rest of the file stays the full bench's.
    const file = join(REPO_ROOT, "BENCHMARKS.md");
    writeFileSync(file, replaceSection(readFileSync(file, "utf8"), "## 6. ", section));
    process.stderr.write(`section 6 written to ${file}\n`);
  } else process.stdout.write(section);
}
