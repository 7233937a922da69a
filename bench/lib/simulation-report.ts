/**
 * The simulation's section of BENCHMARKS.md: its inputs (counted and stated), its figures against
 * the goals, and the send queue's depth over time as an ASCII chart.
 */
import { simulationGoals, type SimInputs, type SimResult } from "./simulation";

export interface SimulationScenario {
  label: string;
  input: SimInputs;
  result: SimResult;
}

export interface SimulationReport {
  /** Where the per-call counts came from: a bench run's counts, or the stated defaults. */
  source: string;
  scenarios: SimulationScenario[];
}

const n0 = (n: number) => Math.round(n).toLocaleString("en");
const min = (s: number) => `${(s / 60).toFixed(1)} min (${n0(s)} s)`;
const pass = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");

/** A bar chart of the queue depth, one row per sample (at most `rows`), `width` characters at the peak. */
export function depthChart(depth: number[], everySeconds: number, rows = 30, width = 50): string {
  if (!depth.length) return "(empty)";
  const step = Math.max(1, Math.ceil(depth.length / rows));
  const peak = Math.max(1, ...depth);
  const lines: string[] = [];
  for (let i = 0; i < depth.length; i += step) {
    const d = Math.max(...depth.slice(i, i + step));
    const bar = "#".repeat(Math.round((d / peak) * width));
    lines.push(`${String(Math.round((i * everySeconds) / 60)).padStart(4)} min | ${bar} ${n0(d)}`);
  }
  return lines.join("\n");
}

export function renderSimulation(r: SimulationReport): string {
  const out: string[] = [];
  const first = r.scenarios[0]!;
  const i = first.input;
  out.push(`## 6. A million recipients, simulated

\`npm run simulate\` (\`bench/simulate.ts\`; the core is \`bench/lib/simulation.ts\`) is a discrete-event simulation of one weekly digest for ${n0(i.recipients)} recipients in AWS, driven by per-call costs, not by the local wall clock: the requests each step makes (${r.source}) and stated in-region latencies (\`DEFAULT_LATENCIES_MS\`: DynamoDB item ${i.latenciesMs.dynamoItem} ms, 1 MB Query page ${i.latenciesMs.dynamoQueryPage} ms, 100-put transaction ${i.latenciesMs.dynamoTransaction100} ms, SendBulkEmail ${i.latenciesMs.sesBulk} ms, SQS batch ${i.latenciesMs.sqsBatch} ms). SES quota ${n0(i.sesRatePerSecond)} recipients/s; the send queue's consumers as configured (\`stacks/sizes.ts\`): at most ${i.senderConcurrency} invocations of up to ${i.senderBatchSize} messages; one planner invocation. ${n0(i.variants)} variants (they grow with the content, not the audience), MJML ${n0(i.compileMsPerVariant)} ms each; batch items ${n0(i.batchItemBytes)} bytes; campaign header ${n0(i.campaignHeaderBytes)} bytes. Peak units are per whole second on one partition key, held against DynamoDB's 1,000 WCU / 3,000 RCU per partition; the goal is at most half.
`);
  out.push(`Batch items have partition keys of their own (\`CAMPAIGN#<key>#BATCH#<n>\`, numbered 1…n, the header's \`lastBatch\` raised before each freeze): a million-recipient plan freezes its 20,000 batches a hundred to a transaction, several transactions a second, and in the campaign's partition those 4-unit puts alone were over its limit; now each batch's partition takes only its own freeze, lease and completion, and the campaign's partition keeps the header and the variants. Campaigns opened before keep their batches in the campaign's partition. A digest's Delivery events are noted on each recipient's delivery record and not counted (an announcement's still count in the ${n0(i.counterShards)} counter shards).
`);
  for (const s of r.scenarios) {
    const g = simulationGoals(s.input, s.result);
    const res = s.result;
    out.push(`### ${s.label}

| figure | simulated | goal | result |
| --- | --- | --- | --- |
| total, schedule to last send accepted | ${min(res.totalSeconds)} | ≤ ${min(g.totalGoal)} (N / (0.95 × rate) + 60 s) | ${pass(g.total)} |
| planning (the planner's Lambda time, one invocation) | ${res.plannerLambdaSeconds.toFixed(1)} s | ≤ 120 s, never near 900 s | ${pass(g.planning)} |
| first send | ${res.firstSendSeconds.toFixed(1)} s | | |
| sender invocations / their Lambda time | ${n0(res.senderInvocations)} / ${n0(res.senderLambdaSeconds)} s | | |

| partition key | written (read) by | peak units/s | limit | share | ≤ half |
| --- | --- | --- | --- | --- | --- |
${res.keys.map((k) => `| ${k.key} | ${k.what} | ${n0(k.peakPerSecond)} ${k.kind === "read" ? "RCU" : "WCU"} | ${n0(k.limit)} | ${((100 * k.peakPerSecond) / k.limit).toFixed(0)}% | ${pass(k.peakPerSecond <= k.limit / 2)} |`).join("\n")}

Send queue depth (messages waiting or in flight), sampled every ${res.depthEverySeconds} s:

\`\`\`
${depthChart(res.queueDepth, res.depthEverySeconds)}
\`\`\`
`);
  }
  return out.join("\n");
}
