import type { ProcessFigures } from "./child";
import type { MachineLoad } from "./load";
import type { PhaseCount, Span } from "./trace";
import { COST_GOAL_PER_100K, FEEDBACK_MODEL, PRICES, costPer100k, totalUsd } from "./cost";
import { renderSimulation, type SimulationReport } from "./simulation-report";
import { simulate } from "./simulation";
import { simulationInputs } from "../simulate";

// What the scenarios hand back (see bench/scenarios/*.ts).

export interface CompileResult {
  renders: number;
  firstRenderMs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  htmlBytes: number;
  textBytes: number;
  process: ProcessFigures;
}

interface Timing {
  medianUs: number;
  minUs: number;
  maxUs: number;
  reps: number;
  recipientsPerRep: number;
}

export interface PerRecipientResult {
  bulk: Timing;
  single: Timing;
  linksOnly: Timing;
  mjmlLoaded: boolean;
  process: ProcessFigures;
}

interface SinkCalls {
  sendEmail: number;
  bulk: number;
  throttled: number;
  failed: number;
  throttledEntries: number;
  rejected: number;
  retried: number;
  forwardErrors: number;
}

export interface DigestRunResult {
  cadence: string;
  mode: "bulk" | "single";
  campaign: string;
  expected: number;
  planned: number;
  totalSeconds: number;
  planningSeconds: number;
  firstSendSeconds: number;
  acceptedWhilePlanning: number;
  sendingAfterPlanningSeconds: number;
  sendingSeconds: number;
  settledSeconds: number;
  /** How the digest planner compiled: item by item (the product's path) or MJML per variant (the former one). */
  compilation?: "items" | "variants";
  planning: {
    compilation?: "items" | "variants";
    /** Item by item: storing the campaign's skeletons and item blocks (BatchWriteItem of gzipped chunks). */
    putPartsSeconds?: number;
    putPartsCalls?: number;
    fanoutSeconds: number;
    fanoutQueries: number;
    contentSeconds: number;
    groupingAndFirstCompileSeconds: number;
    compileSeconds: number;
    variants: number;
    putVariantSeconds: number;
    freezeSeconds: number;
    batches: number;
    freezeCalls?: number;
    restSeconds: number;
  };
  counted?: { phases: Record<"planner" | "sender" | "other", PhaseCount>; mjmlCompilations: number; batches: number; campaignHeaderBytes: number };
  run: { state: string; planned: number; sent: number; skipped: number; failed: number };
  verification: { delivered: number; distinct: number; duplicates: number; missing: number; unexpected: number };
  sink: SinkCalls;
  peakAcceptedPerSecond: number;
  cpu: { nodeSeconds: number; dynamodbSeconds?: number };
  trace: Record<string, Span>;
}

export interface E2eResult {
  storage: "disk" | "memory";
  items: { total: number; seminar: number; publication: number; news: number };
  setup: { seedItems: number; seedSeconds: number; seedItemsPerSecond: number; publishSeconds: number };
  main: DigestRunResult & { subscribers: number };
  /** The same weekly digest planned with MJML once per variant (DIGEST_COMPILATION=variants), for comparison. */
  mainPerVariant?: DigestRunResult & { subscribers: number };
  compare: { subscribers: number; bulk: DigestRunResult; single: DigestRunResult };
  history: { items: number; seconds: number; readSeconds: number; itemsPerSecond: number };
  dynamodbMaxRssMB?: number;
  process: ProcessFigures;
}

export interface RateResult {
  subscribers: number;
  limit: number;
  appRate?: number;
  storage: string;
  expected: number;
  planned: number;
  planningSeconds: number;
  sendingSeconds: number;
  steadySeconds: number;
  medianPerSecond: number;
  minPerSecond: number;
  maxPerSecond: number;
  secondsAtLeast95: number;
  secondsOverLimit: number;
  perSecond: number[];
  sink: SinkCalls;
  verification: { delivered: number; distinct: number; duplicates: number; missing: number };
  run: { state: string; planned: number; sent: number; skipped: number; failed: number };
  dynamodbMaxRssMB?: number;
  process: ProcessFigures;
}

export interface BundleSizeResult {
  handler: string;
  /** An HTTP function (one per audience), a pipeline function, or one route's module alone (as it shipped when each route was its own function). */
  kind?: "http" | "pipeline" | "route";
  bytes: number;
  /** The entry and the chunks it imports statically: what a cold start loads (with code splitting, less than `bytes`). */
  startBytes?: number;
  hasMjml: boolean;
  /** Whether mjml loads on every cold start (false when it ships only in a chunk loaded on demand). */
  mjmlAtStart?: boolean;
  /** Median import time in a fresh Node process, in ms. */
  importMs?: number;
  importRuns?: number[];
  /** A deployed function's cold start: its import and first invocation against the local stack, in the same fresh processes (scripts/bundle-sizes.ts). */
  firstInvocation?: {
    /** The representative event ("GET /missions"). */
    label: string;
    /** Medians, in ms; `totalMs` is the median of each process's import + invocation. */
    importMs: number;
    invokeMs: number;
    totalMs: number;
    runs: { importMs: number; invokeMs: number; outcome: string; ok: boolean; calls?: Record<string, number> }[];
    /** Whether every run answered as the event should be answered (2xx, no failed records, no error). */
    ok: boolean;
  };
}

export interface BundleResult {
  available: boolean;
  sender?: string;
  sizes?: BundleSizeResult[];
  /** Timed imports per bundle. */
  importRuns?: number;
  /** The import budget of every HTTP function, in ms. */
  httpImportMaxMs?: number;
  /** Routes served by each HTTP function, by its handler file. */
  routesPerFunction?: Record<string, number>;
  /** Why the first invocations were not measured (the local stack did not start, e.g. no Java). */
  firstInvocationError?: string;
  /** When, and on what, the bundles were measured (the scenario can run on its own: `npm run bench -- --only bundles`). */
  measuredAt?: string;
  machine?: { cpus: number; node: string };
  load?: MachineLoad;
  process: ProcessFigures;
}

export interface BenchResults {
  startedAt: Date;
  code: { commit: string; uncommitted: boolean };
  load: MachineLoad;
  wallSeconds: number;
  machine: { cpus: number; model: string; node: string; platform: string; memoryGB: number };
  options: { subscribers: number; compare: number; items: number; rateSubscribers: number; rateLimit: number };
  compile: CompileResult;
  perRecipient: PerRecipientResult;
  e2e: E2eResult;
  rate: RateResult;
  bundles: BundleResult;
  /** The 1,000,000-recipient simulation driven by the counted figures (bench/simulate.ts). */
  simulation?: SimulationReport;
}

/** The SES rate the cost model and the simulation assume for AWS: the production account's quota. */
export const AWS_SES_RATE = 500;

// Targets.

export const TARGETS = {
  perRecipientUs: 10,
  endToEndSeconds: 60,
  ratePerSecondShare: 0.95,
  rateMinSeconds: 60,
  senderBytes: 1024 * 1024,
  httpImportMs: 150,
  /** Planning the weekly digest (POST until the plan queue is idle). */
  planningSeconds: 15,
  /** MJML compilations per digest run: at most 2 × languages (2) × section combinations (3). */
  mjmlCompilations: 12,
  /** Cold start (import + first invocation) of each HTTP function. */
  httpColdStartMs: 150,
  /** Cold start (import + first invocation) of the sender and the planner. */
  pipelineColdStartMs: 250,
};

/** The pipeline functions with a cold-start target, by role (their handlers are in stacks/handlers.ts). */
export const COLD_START_ROLES = { sender: "queues/send-mail", planner: "queues/plan" } as const;

// Formatting.

const n0 = (n: number) => Math.round(n).toLocaleString("en");
const s1 = (n: number) => `${n.toFixed(1)} s`;
const us1 = (n: number) => `${n.toFixed(1)} µs`;
const ms1 = (n: number) => `${n.toFixed(1)} ms`;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const mb = (n: number | undefined) => (n === undefined ? "n/a" : `${n0(n)} MB`);
const pass = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const SEND_PATH = ["outbox.leaseBatch", "outbox.getCampaign", "store.getSubscribers", "store.suppressedAmong", "outbox.getVariant", "pacer.reserve", "ses.sendBulk", "ses.send", "outbox.recordDeliveries", "outbox.completeBatch", "outbox.saveProgress"];

/** DynamoDB requests made inside one adapter method, by command. */
function requestsOf(trace: Record<string, Span>, method: string): { command: string; span: Span }[] {
  return Object.entries(trace)
    .filter(([name]) => name.startsWith("dynamodb.") && name.endsWith(`@${method}`))
    .map(([name, span]) => ({ command: name.slice("dynamodb.".length, name.indexOf("@")), span }));
}

/** The sender's steps per batch: calls, latency, and the DynamoDB requests each makes. */
function sendPathTable(run: DigestRunResult): string {
  const batches = run.trace["outbox.completeBatch"]?.calls || run.planning.batches || 1;
  const spans = SEND_PATH.map((name) => [name, run.trace[name]] as const).filter(([, s]) => s);
  const summed = spans.reduce((t, [, s]) => t + s!.totalMs, 0);
  return table(
    ["step", "calls", "per batch", "mean latency", "share of summed latency", "DynamoDB requests per call", "of which failed conditions"],
    spans.map(([name, s]) => {
      const requests = requestsOf(run.trace, name);
      const total = requests.reduce((t, r) => t + r.span.calls, 0);
      const failed = requests.reduce((t, r) => t + r.span.errors, 0);
      const detail = requests.map((r) => `${r.command} ${(r.span.calls / s!.calls).toFixed(2)}`).join(", ");
      return [`\`${name}\``, n0(s!.calls), (s!.calls / batches).toFixed(2), ms1(s!.totalMs / s!.calls), pct(s!.totalMs / summed), total ? `${(total / s!.calls).toFixed(2)} (${detail})` : "–", total ? n0(failed) : "–"];
    }),
  );
}

/** DynamoDB requests of the whole run, by command, split into the sender's and the rest (planner, API). */
function dynamoTable(run: DigestRunResult): string {
  const batches = run.trace["outbox.completeBatch"]?.calls || run.planning.batches || 1;
  const byCommand = new Map<string, { send: number; sendFailed: number; other: number; ms: number; calls: number }>();
  for (const [name, span] of Object.entries(run.trace)) {
    if (!name.startsWith("dynamodb.")) continue;
    const command = name.slice("dynamodb.".length, name.indexOf("@"));
    const method = name.slice(name.indexOf("@") + 1);
    const row = byCommand.get(command) ?? { send: 0, sendFailed: 0, other: 0, ms: 0, calls: 0 };
    if (SEND_PATH.includes(method)) {
      row.send += span.calls;
      row.sendFailed += span.errors;
    } else row.other += span.calls;
    row.ms += span.totalMs;
    row.calls += span.calls;
    byCommand.set(command, row);
  }
  const rows = [...byCommand].sort((a, b) => b[1].send - a[1].send);
  const send = rows.reduce((t, [, r]) => t + r.send, 0);
  return table(
    ["DynamoDB command", "sender's requests", "per batch", "failed conditions", "planner's and others' requests", "mean latency"],
    [...rows.map(([command, r]) => [`\`${command}\``, n0(r.send), (r.send / batches).toFixed(2), n0(r.sendFailed), n0(r.other), ms1(r.ms / r.calls)]), ["**all**", `**${n0(send)}**`, `**${(send / batches).toFixed(2)}**`, "", n0(rows.reduce((t, [, r]) => t + r.other, 0)), ""]],
  );
}

/** Where one digest run's planning time went, by step; the steps differ between the two compilation paths. */
function planningTable(e: DigestRunResult): string {
  const p = e.planning;
  const head = [
    ["audience fan-out (Query GSI1 per mission × topic)", s1(p.fanoutSeconds), `${p.fanoutQueries} audience reads`],
    ["content by mission (Query)", s1(p.contentSeconds), ""],
  ];
  const freeze = ["freezing batches (up to 100 conditional puts a TransactWriteItems), counting and enqueuing them", s1(p.freezeSeconds), `${n0(p.batches)} batches (${(e.planned / Math.max(1, p.batches)).toFixed(1)} recipients per batch on average) in ${n0(p.freezeCalls ?? 0)} freezes`];
  const rest = ["the rest (counters, lease, run record)", s1(p.restSeconds), ""];
  const mjml = e.counted ? `${n0(e.counted.mjmlCompilations)} MJML compilations` : "";
  if (p.compilation === "items") {
    return table(["planning step (item-level compilation)", "time", "detail"], [
      ...head,
      ["grouping the audience into variants; MJML once per skeleton (with loading MJML); item blocks once per language; each variant's recipe, assembled to check its size", s1(p.groupingAndFirstCompileSeconds), `${mjml} for ${n0(p.variants)} variants`],
      ["storing the campaign's skeletons and item blocks once (gzipped chunks, BatchWriteItem)", s1(p.putPartsSeconds ?? 0), `${n0(p.putPartsCalls ?? 0)} call(s)`],
      ["storing the variants' recipes (BatchWriteItem, 25 a request)", s1(p.putVariantSeconds), `${n0(p.variants)} puts`],
      freeze,
      rest,
    ]);
  }
  return table(["planning step (MJML per variant)", "time", "detail"], [
    ...head,
    ["grouping the audience into variants, and the first variant's MJML (with loading MJML)", s1(p.groupingAndFirstCompileSeconds), ""],
    ["MJML compilation of the other variants", s1(p.compileSeconds), `${n0(p.variants - 1)} variants (language × item set), ${ms1((p.compileSeconds * 1000) / Math.max(1, p.variants - 1))} each, one after another; ${mjml}`],
    ["storing the variants (one PutItem each)", s1(p.putVariantSeconds), `${n0(p.variants)} puts`],
    freeze,
    rest,
  ]);
}

/** The weekly digest compiled item by item beside the same digest with MJML per variant, from one run. */
function compilationComparison(items: DigestRunResult, perVariant: DigestRunResult): string {
  const row = (label: string, f: (e: DigestRunResult) => string) => [label, f(items), f(perVariant)];
  return `**Item-level compilation against MJML per variant.** After the run above, its campaign was deleted and the same weekly digest was planned and sent again with \`DIGEST_COMPILATION=variants\` (MJML compiles each variant whole, the former path). Both send the same emails byte for byte (a unit test compares them over generated variants).

${table(["", "item by item (the product)", "MJML per variant (former)"], [
    row("MJML compilations", (e) => (e.counted ? n0(e.counted.mjmlCompilations) : "n/a")),
    row("variants", (e) => n0(e.planning.variants)),
    row("planning (POST until the plan queue is idle)", (e) => s1(e.planningSeconds)),
    row("first send accepted after the POST", (e) => s1(e.firstSendSeconds)),
    row("POST to last send accepted", (e) => s1(e.totalSeconds)),
    row("planner's DynamoDB write units", (e) => (e.counted ? n0(e.counted.phases.planner.writeUnits) : "n/a")),
    row("duplicates / missing / unexpected", (e) => `${e.verification.duplicates} / ${e.verification.missing} / ${e.verification.unexpected}`),
  ])}

The per-variant run came second, over the same table, so DynamoDB Local was warmer for it.`;
}

/** Verdicts, so the summary and the details agree. */
export function verdicts(r: BenchResults) {
  const e = r.e2e.main;
  const exact = (v: { duplicates: number; missing: number }) => v.duplicates === 0 && v.missing === 0;
  const steadyOk = r.rate.steadySeconds >= TARGETS.rateMinSeconds;
  const rateMean = r.rate.perSecond.slice(1, -1).reduce((a, b) => a + b, 0) / Math.max(1, r.rate.steadySeconds);
  return {
    perRecipientBulk: r.perRecipient.bulk.medianUs <= TARGETS.perRecipientUs,
    perRecipientSingle: r.perRecipient.single.medianUs <= TARGETS.perRecipientUs,
    endToEnd: e.totalSeconds <= TARGETS.endToEndSeconds && exact(e.verification) && e.verification.unexpected === 0,
    endToEndExact: exact(e.verification) && e.verification.unexpected === 0,
    planning: e.planningSeconds <= TARGETS.planningSeconds,
    compilations: e.counted ? e.counted.mjmlCompilations <= TARGETS.mjmlCompilations : undefined,
    rate: steadyOk && rateMean >= TARGETS.ratePerSecondShare * r.rate.limit && exact(r.rate.verification),
    rateMean,
    rateExact: exact(r.rate.verification),
    ...bundleVerdicts(r.bundles),
  };
}

/** The bundle scenario's verdicts: the sender's size and MJML, and the HTTP functions' import times. */
export function bundleVerdicts(b: BundleResult) {
  const sender = b.sizes?.find((s) => s.handler === b.sender);
  const http = (b.sizes ?? []).filter((s) => s.kind === "http");
  const timed = http.length > 0 && http.every((s) => s.importMs !== undefined);
  const slowestHttp = timed ? http.reduce((a, x) => (x.importMs! > a.importMs! ? x : a)) : undefined;
  const invoked = http.length > 0 && http.every((s) => s.firstInvocation);
  const slowestHttpColdStart = invoked ? http.reduce((a, x) => (x.firstInvocation!.totalMs > a.firstInvocation!.totalMs ? x : a)) : undefined;
  const pipeline = [b.sender ?? COLD_START_ROLES.sender, COLD_START_ROLES.planner].map((h) => b.sizes?.find((s) => s.handler === h)).filter((s): s is BundleSizeResult => !!s?.firstInvocation);
  const slowestPipelineColdStart = pipeline.length ? pipeline.reduce((a, x) => (x.firstInvocation!.totalMs > a.firstInvocation!.totalMs ? x : a)) : undefined;
  return {
    sender,
    bundle: sender ? sender.bytes <= TARGETS.senderBytes && !sender.hasMjml : undefined,
    slowestHttp,
    httpImport: slowestHttp ? slowestHttp.importMs! <= (b.httpImportMaxMs ?? TARGETS.httpImportMs) : undefined,
    slowestHttpColdStart,
    /** Every HTTP function's import + first invocation within its target, each answered as expected. */
    httpColdStart: slowestHttpColdStart ? slowestHttpColdStart.firstInvocation!.totalMs <= TARGETS.httpColdStartMs && http.every((s) => s.firstInvocation!.ok) : undefined,
    slowestPipelineColdStart,
    pipelineColdStart: slowestPipelineColdStart ? slowestPipelineColdStart.firstInvocation!.totalMs <= TARGETS.pipelineColdStartMs && pipeline.every((s) => s.firstInvocation!.ok) : undefined,
  };
}

/** BENCHMARKS.md from one run's results. */
export function renderReport(r: BenchResults): string {
  const v = verdicts(r);
  const e = r.e2e.main;
  const pr = r.perRecipient;
  const ratio = (r.compile.medianMs * 1000) / pr.bulk.medianUs;
  const ratioSingle = (r.compile.medianMs * 1000) / pr.single.medianUs;
  const date = r.startedAt.toISOString().replace(/\.\d+Z$/, "Z");
  const cb = r.e2e.compare.bulk;
  const cs = r.e2e.compare.single;
  const rate = r.rate;
  const history100k = (e.planned / r.e2e.history.itemsPerSecond);

  const out: string[] = [];
  out.push(`# Benchmarks

Written by \`npm run bench\` (the scripts are in \`bench/\`). Every figure below comes from the one run described here, except where a section says it was measured on its own; rerun to refresh.

- **Run:** ${date}, ${(r.wallSeconds / 60).toFixed(1)} minutes in all, on the code of commit \`${r.code.commit}\`${r.code.uncommitted ? " with uncommitted changes under packages/" : ""}.
- **Machine:** ${r.machine.cpus} CPUs (${r.machine.model}), ${r.machine.memoryGB} GB memory, Node ${r.machine.node} on ${r.machine.platform}.
- **Other load:** ${r.load.available ? `processes outside the bench used ${s1(r.load.otherCoreSeconds)} of CPU during the run (${pct(r.load.otherShare)} of the machine's capacity; more than a quarter of a core in ${r.load.busySecondsOther} of ${n0(r.load.seconds)} seconds). The bench itself used ${s1(r.load.benchCoreSeconds)}.${r.load.otherShare > 0.05 ? " **The machine was shared, so the timings are pessimistic.**" : ""}` : "not measured (no /proc)."}
- **Reproduce:** \`npm ci\`, then \`npm run bench\`. It needs Java 17 for DynamoDB Local and takes about ten minutes on two cores. Each scenario runs in its own Node process, so its peak memory is its own. \`npm run bench -- --help\` lists the options for smaller runs; a smaller run writes its report to standard output, not to this file, unless you pass \`--out\`.
- **Local stack:** the embedded local cloud (\`startLocalCloud\`), with its handlers, in-process send queue (concurrency 2, as the event source's maximum concurrency) and plan queue. DynamoDB is DynamoDB Local (the bundled jar, started by \`startDynamoDbLocal\` as \`npm start\` does) **${r.e2e.storage === "memory" ? "in memory, as the tests run it" : "on disk in a fresh temporary directory, as \`npm start\` runs it"}**${r.e2e.storage === "memory" ? " (\`--storage disk\` runs it on disk, as \`npm start\` does; seeding 100,000 subscribers is then much slower)" : ""}. SES is the counting sink (\`startSesSink\`), put in place of the mailbox with \`sesEndpoint\`.
- **Peak memory** is the peak resident set (maxRSS) of each scenario's Node process; DynamoDB Local's JVM is a separate process and is listed apart.

## Summary

| # | figure | measured | target | result |
| --- | --- | --- | --- | --- |
| 1 | Per-recipient work after compilation, bulk mode (\`recipientLinks\` + \`bulkData\`) | ${us1(pr.bulk.medianUs)} median | ≤ ${TARGETS.perRecipientUs} µs | ${pass(v.perRecipientBulk)} |
| 1 | Per-recipient work after compilation, single mode (\`recipientLinks\` + \`personalise\`), not the sender's default | ${us1(pr.single.medianUs)} median | (comparison: the target applies to the mode the sender uses, bulk) | ${v.perRecipientSingle ? "within" : "over"} ${TARGETS.perRecipientUs} µs |
| 1 | Naive: MJML (\`compileContentEmail\`) per recipient | ${ms1(r.compile.medianMs)} median | (comparison) | **${n0(ratio)}×** slower than bulk per-recipient work |
| 2 | Weekly digest, ${n0(e.subscribers)} subscribers, ${r.e2e.items.total} items, POST to last send accepted | ${s1(e.totalSeconds)} (planning ${s1(e.planningSeconds)}; first send after ${s1(e.firstSendSeconds)}; last send ${s1(e.sendingAfterPlanningSeconds)} after planning ended) | ≤ ${TARGETS.endToEndSeconds} s | ${pass(v.endToEnd)} |
| 2 | … delivered exactly once | ${n0(e.verification.delivered)} delivered to ${n0(e.expected)} expected: ${e.verification.duplicates} duplicates, ${e.verification.missing} missing, ${e.verification.unexpected} unexpected | 0 duplicates, 0 missing | ${pass(v.endToEndExact)} |
| 2 | … planning, digest compiled item by item${r.e2e.mainPerVariant ? ` (MJML per variant, same run: ${s1(r.e2e.mainPerVariant.planningSeconds)})` : ""} | ${s1(e.planningSeconds)} | ≤ ${TARGETS.planningSeconds} s | ${pass(v.planning)} |
| 2 | … MJML compilations in the run${r.e2e.mainPerVariant?.counted ? ` (MJML per variant: ${n0(r.e2e.mainPerVariant.counted.mjmlCompilations)})` : ""} | ${e.counted ? n0(e.counted.mjmlCompilations) : "not counted"} | ≤ ${TARGETS.mjmlCompilations} (2 × languages × section combinations) | ${v.compilations === undefined ? "n/a" : pass(v.compilations)} |
| 3 | Rate fidelity at ${rate.limit}/s (sink throttles above ${rate.limit}/s) | mean ${v.rateMean.toFixed(1)}/s over ${rate.steadySeconds} s (median ${n0(rate.medianPerSecond)}/s; ${rate.secondsAtLeast95} of ${rate.steadySeconds} s at ≥ ${Math.round(rate.limit * 0.95)}/s); ${rate.verification.duplicates} duplicates, ${rate.verification.missing} missing | ≥ ${Math.round(rate.limit * 0.95)}/s sustained for ≥ ${TARGETS.rateMinSeconds} s, no loss | ${pass(v.rate)} |
| 4 | Sender bundle (\`${r.bundles.sender ?? "queues/send-mail"}\`), minified | ${v.sender ? `${kib(v.sender.bytes)} (${n0(v.sender.bytes)} bytes), ${v.sender.hasMjml ? "contains mjml" : "no mjml"}` : "not measured"} | ≤ 1 MiB, no mjml | ${v.bundle === undefined ? "n/a" : pass(v.bundle)} |
| 4 | HTTP functions (one per audience), import in a fresh Node process | ${v.slowestHttp ? `slowest \`${v.slowestHttp.handler}\`, ${ms0(v.slowestHttp.importMs!)} median` : "not measured"} | ≤ ${r.bundles.httpImportMaxMs ?? TARGETS.httpImportMs} ms each | ${v.httpImport === undefined ? "n/a" : pass(v.httpImport)} |
| 4 | HTTP functions, import + first invocation on the local stack (cold start) | ${coldStartCell(v.slowestHttpColdStart)} | ≤ ${TARGETS.httpColdStartMs} ms each | ${v.httpColdStart === undefined ? "n/a" : pass(v.httpColdStart)} |
| 4 | Sender and planner, import + first invocation on the local stack (cold start) | ${coldStartCell(v.slowestPipelineColdStart)} | ≤ ${TARGETS.pipelineColdStartMs} ms each | ${v.pipelineColdStart === undefined ? "n/a" : pass(v.pipelineColdStart)} |

Peak memory (Node maxRSS): per-recipient work ${mb(pr.process.maxRssMB)} (MJML never loaded: ${pr.mjmlLoaded ? "no, it was" : "yes"}); MJML renders ${mb(r.compile.process.maxRssMB)}; end to end ${mb(r.e2e.process.maxRssMB)} (DynamoDB Local JVM ${mb(r.e2e.dynamodbMaxRssMB)}); rate fidelity ${mb(rate.process.maxRssMB)} (JVM ${mb(rate.dynamodbMaxRssMB)}); bundling ${mb(r.bundles.process.maxRssMB)}.
`);

  out.push(`## 1. Per-recipient work after compilation

A weekly digest variant with 20 items (10 upcoming seminars, 10 publications, Swedish) is compiled once with MJML: ${n0(r.compile.htmlBytes)} bytes of HTML, ${n0(r.compile.textBytes)} bytes of text. Then, in a separate process that never loads MJML, the sender's per-recipient work is timed for distinct subscriber ids: ${pr.bulk.reps} repetitions of ${n0(pr.bulk.recipientsPerRep)} recipients (single mode: ${n0(pr.single.recipientsPerRep)}), after a warm-up; the figure is the median of the repetitions' time per recipient.

| work per recipient | median | min | max |
| --- | --- | --- | --- |
| bulk mode: \`recipientLinks\` (HMAC manage token, links, List-Unsubscribe headers) + \`bulkData\` (SES replacement data) | ${us1(pr.bulk.medianUs)} | ${us1(pr.bulk.minUs)} | ${us1(pr.bulk.maxUs)} |
| single mode: \`recipientLinks\` + \`personalise\` (our own escaped substitution into the ${n0(r.compile.htmlBytes / 1024)} KB HTML and the text) | ${us1(pr.single.medianUs)} | ${us1(pr.single.minUs)} | ${us1(pr.single.maxUs)} |
| of which \`recipientLinks\` alone | ${us1(pr.linksOnly.medianUs)} | ${us1(pr.linksOnly.minUs)} | ${us1(pr.linksOnly.maxUs)} |
| naive: \`compileContentEmail\` (MJML) per recipient, ${r.compile.renders} renders after the first | ${ms1(r.compile.medianMs)} | ${ms1(r.compile.minMs)} | ${ms1(r.compile.maxMs)} |

The first MJML render in a process, which loads MJML, took ${ms1(r.compile.firstRenderMs)}. Compiling once and personalising per recipient is **${n0(ratio)}×** cheaper than MJML per recipient in bulk mode, and ${n0(ratioSingle)}× in single mode. At ${n0(e.subscribers)} recipients the naive way would spend about ${n0((r.compile.medianMs * e.subscribers) / 1000)} s of CPU on MJML alone; the bulk-mode per-recipient work takes about ${ms1((pr.bulk.medianUs * e.subscribers) / 1000)}.
`);

  out.push(`## 2. End to end on the local stack

**Setup (not measured):** ${n0(e.subscribers)} active weekly subscribers and ${n0(r.e2e.compare.subscribers)} monthly ones, written straight to the table with BatchWriteItem (profile and membership items with their fan-out keys, as \`activate\` writes them): ${n0(r.e2e.setup.seedItems)} items in ${s1(r.e2e.setup.seedSeconds)} (${n0(r.e2e.setup.seedItemsPerSecond)} items/s). Subscribers follow random subsets of the 5 seeded missions (one for half of them, two, three or all five for the rest) and of the 3 topics, in sv (60%) or en. Then ${r.e2e.items.total} content items (${r.e2e.items.seminar} seminars, ${r.e2e.items.publication} publications, ${r.e2e.items.news} news; one or two missions each; news only for three missions, so some digests are empty and skipped) were published through the signed webhook in ${s1(r.e2e.setup.publishSeconds)}. SEND_RATE_PER_SECOND=100000, SEND_MODE=bulk.

**Measured:** from \`POST /api/staff/digests/run\` to the moment the sink's total equals the run's planned count (\`GET /api/staff/runs/:id\`). The planner works variant by variant (compile, store, freeze its batches, enqueue them), so sending starts while later variants are still being planned; planning ends when the plan queue is idle. The sink's deliveries per address are then checked against the expected set, computed independently from the subscribers and items (everyone with at least one item for one of their missions × topics).

| | weekly digest, bulk |
| --- | --- |
| subscribers / expected recipients / planned | ${n0(e.subscribers)} / ${n0(e.expected)} / ${n0(e.planned)} (${n0(e.run.skipped)} empty digests skipped) |
| **POST to last send accepted** | **${s1(e.totalSeconds)}** (target ≤ ${TARGETS.endToEndSeconds} s: ${pass(v.endToEnd)}) |
| planning (POST until the plan queue is idle) | ${s1(e.planningSeconds)} |
| first send accepted | ${s1(e.firstSendSeconds)} after the POST; ${n0(e.acceptedWhilePlanning)} recipients were accepted before planning ended |
| last send accepted | ${s1(e.sendingAfterPlanningSeconds)} after planning ended |
| sending, first to last send | ${s1(e.sendingSeconds)} (${n0(e.planned / e.sendingSeconds)} recipients/s on average; peak second ${n0(e.peakAcceptedPerSecond)}) |
| until every batch's result is written | ${s1(e.settledSeconds)} |
| deliveries | ${n0(e.verification.delivered)} to ${n0(e.verification.distinct)} addresses: ${e.verification.duplicates} duplicates, ${e.verification.missing} missing, ${e.verification.unexpected} unexpected |
| run as reported by the API | ${e.run.state}: planned ${n0(e.run.planned)}, sent ${n0(e.run.sent)}, skipped ${n0(e.run.skipped)}, failed ${n0(e.run.failed)} |
| SES calls | ${n0(e.sink.bulk)} SendBulkEmail, ${n0(e.sink.sendEmail)} SendEmail, ${n0(e.sink.throttled)} throttled |
| CPU during the run | Node ${s1(e.cpu.nodeSeconds)}, DynamoDB Local ${e.cpu.dynamodbSeconds === undefined ? "n/a" : s1(e.cpu.dynamodbSeconds)} (of ${s1(e.settledSeconds * r.machine.cpus)} available on ${r.machine.cpus} cores) |

**Where planning's time goes** (from timing the adapters' methods in the bench process; the product code is unchanged):

${planningTable(e)}

${r.e2e.mainPerVariant ? compilationComparison(e, r.e2e.mainPerVariant) : ""}

The planner shares the two cores with the sender, which is already sending the first variants' batches.

**Where sending's time goes.** The send queue runs 2 handler invocations of up to 10 batch pointers at once, and each invocation processes its records in parallel, so up to 20 batches are in flight; summed latencies are therefore larger than the wall time. DynamoDB requests are attributed to the adapter method that made them.

${sendPathTable(e)}

${dynamoTable(e)}

### Bulk or single: choose by measurement

The same monthly digest for ${n0(r.e2e.compare.subscribers)} subscribers (same stack, same content), sent with SendBulkEmail (50 recipients a call, SES substitutes) and then, after deleting the campaign, with one SendEmail per recipient (our own substitution). The bulk run went first, so only it paid for loading each variant once.

${table(
  ["", "bulk (SendBulkEmail)", "single (SendEmail)"],
  [
    ["recipients", n0(cb.planned), n0(cs.planned)],
    ["SES calls", `${n0(cb.sink.bulk + cb.sink.sendEmail)}`, `${n0(cs.sink.bulk + cs.sink.sendEmail)}`],
    ["POST to last send accepted", s1(cb.totalSeconds), s1(cs.totalSeconds)],
    ["planning (sending overlaps it)", s1(cb.planningSeconds), s1(cs.planningSeconds)],
    ["first to last send", s1(cb.sendingSeconds), s1(cs.sendingSeconds)],
    ["last send after planning ended", s1(cb.sendingAfterPlanningSeconds), s1(cs.sendingAfterPlanningSeconds)],
    ["recipients per second, first to last send", n0(cb.planned / cb.sendingSeconds), n0(cs.planned / cs.sendingSeconds)],
    ["batches (≤ 50 recipients, one variant each)", n0(cb.planning.batches), n0(cs.planning.batches)],
    ["mean SES call latency", ms1((cb.trace["ses.sendBulk"]?.totalMs ?? 0) / Math.max(1, cb.trace["ses.sendBulk"]?.calls ?? 0)), ms1((cs.trace["ses.send"]?.totalMs ?? 0) / Math.max(1, cs.trace["ses.send"]?.calls ?? 0))],
    ["Node CPU during the run", s1(cb.cpu.nodeSeconds), s1(cs.cpu.nodeSeconds)],
    ["duplicates / missing", `${cb.verification.duplicates} / ${cb.verification.missing}`, `${cs.verification.duplicates} / ${cs.verification.missing}`],
  ],
)}

### Per-recipient history: a prototype writer, measured (the product does not write history yet)

A history writer that runs after the sends, reading the campaign's batch results and writing one \`DELIVERY#<campaign>\` item per sent recipient with BatchWriteItem (16 requests in flight), wrote ${n0(r.e2e.history.items)} items in ${s1(r.e2e.history.seconds)} (${n0(r.e2e.history.itemsPerSecond)} items/s, of which reading the batches ${s1(r.e2e.history.readSeconds)}). At that rate the ${n0(e.planned)} recipients of the weekly digest would take about ${s1(history100k)}, off the critical path.
`);

  const seconds = rate.perSecond;
  out.push(`## 3. Rate fidelity

The sink enforces a quota of ${rate.limit} recipients a second (SES counts recipients, not calls) the way SES documents it: a short burst may exceed it, a sustained rate may not. It is a token bucket refilled at ${rate.limit} a second that holds at most one second's worth; anything beyond is throttled: a SendEmail over the rate gets 429, a SendBulkEmail entry gets ACCOUNT_THROTTLED. The app is configured for ${(rate.appRate ?? rate.limit) === rate.limit ? "the same rate" : "a lower rate"} (SEND_RATE_PER_SECOND=${rate.appRate ?? rate.limit}, bulk mode). A weekly digest for ${n0(rate.subscribers)} subscribers (one mission each, seminars only, so planning is short) is sent; the figure is recipients accepted per wall-clock second, over the steady window: every whole second between the first and the last second with sends (a second without any counts as 0). Pass means a mean of at least 95% of the limit over a steady window of at least 60 s, and every recipient delivered exactly once.

| | |
| --- | --- |
| recipients planned / delivered | ${n0(rate.planned)} / ${n0(rate.verification.delivered)} (${rate.verification.duplicates} duplicates, ${rate.verification.missing} missing) |
| first to last send | ${s1(rate.sendingSeconds)} (at exactly ${rate.limit}/s it would take ${s1(rate.planned / rate.limit)}) |
| steady window | ${rate.steadySeconds} s (target ≥ ${TARGETS.rateMinSeconds} s) |
| **mean per second over the steady window** | **${v.rateMean.toFixed(1)}** (target ≥ ${Math.round(rate.limit * TARGETS.ratePerSecondShare)}) |
| median per second | ${n0(rate.medianPerSecond)} |
| seconds at ≥ ${Math.round(rate.limit * 0.95)}/s | ${rate.secondsAtLeast95} of ${rate.steadySeconds} (${pct(rate.secondsAtLeast95 / Math.max(1, rate.steadySeconds))}) |
| lowest / highest second | ${n0(rate.minPerSecond)} / ${n0(rate.maxPerSecond)} (seconds over the limit: ${rate.secondsOverLimit}) |
| SES calls | ${n0(rate.sink.bulk)} SendBulkEmail, ${n0(rate.sink.sendEmail)} SendEmail |
| throttled | ${n0(rate.sink.throttled)} calls answered 429, ${n0(rate.sink.throttledEntries)} bulk entries answered ACCOUNT_THROTTLED |
| result | ${pass(v.rate)} |

Recipients accepted in each second, in order:

\`\`\`
${seconds.map((n, i) => String(n).padStart(4) + ((i + 1) % 15 === 0 ? "\n" : "")).join("").trimEnd()}
\`\`\`
`);

  out.push(renderBundles(r.bundles));
  out.push(renderCounted(e, r.machine.cpus));
  if (r.simulation) out.push(renderSimulation(r.simulation));
  return out.join("\n");
}

const ms0 = (n: number) => `${n.toFixed(0)} ms`;

/**
 * The cold starts: for every deployed function, the import and the first invocation with a
 * representative event against the local stack, timed in the same fresh processes.
 */
function renderColdStarts(b: BundleResult, deployed: BundleSizeResult[]): string {
  const measured = deployed.filter((s) => s.firstInvocation);
  if (!measured.length) {
    return `### Cold starts: import and first invocation

Not measured${b.firstInvocationError ? `: the local stack did not start (${b.firstInvocationError})` : ""}.
`;
  }
  const v = bundleVerdicts(b);
  const target = (s: BundleSizeResult) =>
    s.kind === "http" ? `≤ ${TARGETS.httpColdStartMs} ms` : s.handler === (b.sender ?? COLD_START_ROLES.sender) || s.handler === COLD_START_ROLES.planner ? `≤ ${TARGETS.pipelineColdStartMs} ms` : "";
  const result = (s: BundleSizeResult) => {
    const t = target(s);
    if (!t) return "";
    const limit = s.kind === "http" ? TARGETS.httpColdStartMs : TARGETS.pipelineColdStartMs;
    return pass(s.firstInvocation!.totalMs <= limit && s.firstInvocation!.ok);
  };
  const runs = measured[0]!.firstInvocation!.runs.length;
  return `### Cold starts: import and first invocation

Each function's bundle imported by a fresh Node process that then invokes its handler once, with a representative event, against the local stack: DynamoDB Local in memory with the seed missions and one active subscriber, the counting SES sink, and a stand-in that accepts every SQS message and EventBridge event (\`bench/lib/cold-start.ts\`); the function gets the local stack's configuration, as \`npm start\` gives its handlers. ${runs} processes per function, one after another and round-robin over the functions, after one untimed warm-up each; each figure is a median over the processes, and "import + first invocation" is the median of each process's sum. It approximates Lambda's init plus the first request, without Lambda's own start-up and with DynamoDB Local in place of DynamoDB. The functions are found from the route table and \`stacks/handlers.ts\`, so a new one is measured too; one this file has no representative event for gets an event of its kind (an empty SQS batch, a scheduled event). Targets (import + first invocation): ≤ ${TARGETS.httpColdStartMs} ms for each HTTP function: ${v.httpColdStart === undefined ? "n/a" : pass(v.httpColdStart)}; ≤ ${TARGETS.pipelineColdStartMs} ms for the sender and the planner: ${v.pipelineColdStart === undefined ? "n/a" : pass(v.pipelineColdStart)}.

${table(
  ["function", "first event", "import", "first invocation", "import + first invocation", "answer (last run)", "target", "result"],
  measured.map((s) => {
    const f = s.firstInvocation!;
    return [s.kind === "http" || target(s) ? `**${s.handler}**` : s.handler, f.label, ms0(f.importMs), ms0(f.invokeMs), `${ms0(f.totalMs)} (${ms0(Math.min(...f.runs.map((r) => r.importMs + r.invokeMs)))})`, answerCell(f), target(s), result(s)];
  }),
)}

In brackets: the fastest process (the run least disturbed by other work on the machine).

What the time is, from CPU profiles of these processes (\`node --cpu-prof\`): the import is mostly V8 compiling the code the entry loads, which code splitting keeps to the dispatch, the logger and the route table for an HTTP function; the first invocation loads the chunks the event needs (for most, the DynamoDB client, zod and the capability's code) and compiles them, builds the wiring and parses the configuration (once per process, without zod's compiled fast path, which costs more to generate than one parse gains), constructs the SDK clients and resolves their credentials, region and endpoint, and waits for the first requests to the local stack. The first date formatted in Stockholm time (digest calendars, email dates) loads ICU's data once per process, so it is made when first needed rather than at import. Garbage collection during all this is a noticeable share on a busy machine.
`;
}

/** The slowest cold start of a group, for the summary. */
function coldStartCell(s: BundleSizeResult | undefined): string {
  if (!s?.firstInvocation) return "not measured";
  const f = s.firstInvocation;
  return `slowest \`${s.handler}\`, ${ms0(f.totalMs)} median (import ${ms0(f.importMs)}, first invocation ${ms0(f.invokeMs)})${f.ok ? "" : "; **an invocation did not answer as expected**"}`;
}

/** What a cold start's invocation did, from its last run: the answer and the AWS calls it made. */
function answerCell(f: NonNullable<BundleSizeResult["firstInvocation"]>): string {
  const last = f.runs[f.runs.length - 1];
  if (!last) return "";
  const calls = Object.entries(last.calls ?? {})
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${({ sqsMessages: "queued", events: "event put", sesSends: "email sent" } as Record<string, string>)[name] ?? name}`);
  const failed = f.runs.filter((r) => !r.ok);
  return [last.outcome, ...calls].join(", ") + (failed.length ? `; **${failed.length} of ${f.runs.length} runs not as expected** (${failed[0]!.outcome})` : "");
}

/** The middle element of a list sorted by `by` (the lower middle for an even count). */
function middle<T>(items: T[], by: (item: T) => number): T | undefined {
  return [...items].sort((a, b) => by(a) - by(b))[Math.floor((items.length - 1) / 2)];
}

/**
 * Section 4 of BENCHMARKS.md: every deployed function's bundle and import time, and each route's
 * module alone as it shipped when every route was its own function. It says when and on what it was
 * measured, since the scenario can be rerun on its own (`npm run bench -- --only bundles`).
 */
export function renderBundles(b: BundleResult): string {
  if (!b.available || !b.sizes) {
    return `## 4. Bundle sizes and import times

Not measured: \`scripts/bundle-sizes.ts\` (exporting \`bundleSizes()\`) was not found.
`;
  }
  const v = bundleVerdicts(b);
  const budget = b.httpImportMaxMs ?? TARGETS.httpImportMs;
  const timed = b.sizes.some((s) => s.importMs !== undefined);
  const deployed = b.sizes.filter((s) => s.kind !== "route");
  const routes = b.sizes.filter((s) => s.kind === "route");
  const when = b.measuredAt ? `Measured ${b.measuredAt.replace(/\.\d+Z$/, "Z")}` : "Measured";
  const machine = b.machine ? ` on ${b.machine.cpus} CPUs with Node ${b.machine.node} (Lambda runs Node 22)` : "";
  const load = b.load?.available ? `; other processes used ${pct(b.load.otherShare)} of the machine's capacity meanwhile${b.load.otherShare > 0.05 ? ", **so the import times are pessimistic**" : ""}` : "";
  const importCell = (s: BundleSizeResult) => (s.importMs === undefined ? "n/a" : `${ms0(s.importMs)}${s.importRuns?.length ? ` (${ms0(Math.min(...s.importRuns))})` : ""}`);
  const mjmlCell = (s: BundleSizeResult) => ((s.mjmlAtStart ?? s.hasMjml) ? "yes" : s.hasMjml ? "on demand" : "no");
  const size = (bytes: number) => `${kib(bytes)} (${n0(bytes)} bytes)`;
  const out = [
    `## 4. Bundle sizes and import times

Every function bundled and minified as it would ship on nodejs22.x (\`scripts/bundle-sizes.ts\`, which bundles as SST v2 does)${timed ? `, then imported by ${b.importRuns ?? "several"} fresh Node processes one after another (after one untimed warm-up), round-robin over the bundles; the import time is their median, with the fastest in brackets (the run least disturbed by other work on the machine). It covers loading, parsing and running the bundle's top level, the part of a cold start the code decides; Lambda's own start-up comes on top` : ""}. HTTP routes are served by one function per audience (\`packages/functions/src/http/\`): target ≤ ${budget} ms each: ${v.httpImport === undefined ? "n/a" : pass(v.httpImport)}. The sender is \`${b.sender}\`; target ≤ 1 MiB minified and no mjml: ${v.bundle === undefined ? "n/a" : pass(v.bundle)}.

${when}${machine}${load}.

${table(
  ["function", "kind", "routes", "minified, all files", "loaded at start", "mjml", "import: median (fastest)"],
  deployed.map((s) => [
    s.handler === b.sender ? `**${s.handler}** (sender)` : s.kind === "http" ? `**${s.handler}**` : s.handler,
    s.kind ?? "",
    s.kind === "http" ? String(b.routesPerFunction?.[s.handler] ?? "") : "",
    size(s.bytes),
    s.startBytes === undefined || s.startBytes === s.bytes ? "all" : size(s.startBytes),
    mjmlCell(s),
    importCell(s),
  ]),
)}

"Loaded at start" is the entry and the chunks it imports statically. Every function is bundled with code splitting (\`FUNCTION_BUNDLING\` in \`stacks/handlers.ts\`): an HTTP function's route modules are chunks of their own that it imports on the route's first request, and whatever a function imports on demand ships as separate chunks that load when first used ("on demand"): MJML (the planner's and the content function's digest skeletons and alerts, the staff console's previews and test sends), the SQS, SES and EventBridge clients, the SSM call that loads the stage's secrets in AWS, and the SDK's rarer credential providers. "Minified, all files" counts every chunk, loaded or not.
`,
  ];
  out.push(renderColdStarts(b, deployed));
  if (routes.length) {
    const rows: [string, BundleSizeResult | undefined][] = [
      ["smallest", routes.reduce((a, x) => (x.bytes < a.bytes ? x : a))],
      ["median by size", middle(routes, (s) => s.bytes)],
      ["largest", routes.reduce((a, x) => (x.bytes > a.bytes ? x : a))],
      ...(timed
        ? ([
            ["median by import", middle(routes, (s) => s.importMs ?? 0)],
            ["slowest import", routes.reduce((a, x) => ((x.importMs ?? 0) > (a.importMs ?? 0) ? x : a))],
          ] as [string, BundleSizeResult | undefined][])
        : []),
    ];
    out.push(`### Before: one function per route

Each of the ${routes.length} route modules bundled alone (without code splitting) and timed the same way, as each route shipped when it was its own function. A staff member walking through the console met a cold start for each of the functions behind the routes they used; now they meet one.

${table(
  ["", "route module", "minified", "mjml", "import: median (fastest)"],
  rows.filter(([, s]) => s).map(([label, s]) => [label, `\`${s!.handler}\``, size(s!.bytes), mjmlCell(s!), importCell(s!)]),
)}

<details><summary>Every route module alone</summary>

${table(
  ["route module", "minified", "mjml", "import: median (fastest)"],
  [...routes].sort((a, b) => a.handler.localeCompare(b.handler)).map((s) => [s.handler, size(s.bytes), mjmlCell(s), importCell(s)]),
)}

</details>
`);
  }
  return out.join("\n");
}

/** The cost model's inputs from a digest run's counts. */
export function costInputs(run: DigestRunResult): Parameters<typeof costPer100k>[0] | undefined {
  if (!run.counted) return undefined;
  return { recipients: run.planned, batches: run.counted.batches, planner: run.counted.phases.planner, sender: run.counted.phases.sender, sesRatePerSecond: AWS_SES_RATE };
}

/**
 * Section 5: what the weekly digest run made, counted rather than timed (DynamoDB requests and the
 * capacity units DynamoDB Local reported, by phase; SES calls; MJML compilations; Node CPU), and the
 * cost per 100,000 digests those counts imply.
 */
export function renderCounted(e: DigestRunResult, cpus: number): string {
  if (!e.counted) return "## 5. Counted per recipient, and the cost\n\nNot measured: the end-to-end scenario returned no counts.\n";
  const c = e.counted;
  const per = (n: number) => n / Math.max(1, e.planned);
  const perK = (n: number) => (1000 * n) / Math.max(1, e.planned);
  const f2 = (n: number) => n.toFixed(2);
  const f3 = (n: number) => n.toFixed(3);
  const reqs = (p: PhaseCount) => Object.values(p.requests).reduce((a, b) => a + b, 0);
  const byOp = (p: PhaseCount) =>
    Object.entries(p.requests)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n0(n)}`)
      .join(", ");
  const phases = [
    ["planner (plan queue's consumer)", c.phases.planner],
    ["sender (send queue's consumer)", c.phases.sender],
    ["other (API, run records)", c.phases.other],
  ] as const;
  const inputs = costInputs(e)!;
  // The planner's time for 100,000 recipients from the simulation (its local time is the shared machine's).
  const sim = simulate(simulationInputs(100_000, e).input);
  const lines = costPer100k(inputs, { plannerSeconds: sim.plannerLambdaSeconds, senderSeconds: sim.senderLambdaSeconds });
  const total = totalUsd(lines);
  const sendPath = totalUsd(lines.filter((l) => !/feedback/i.test(l.what)));
  const usd = (n: number) => (n < 0.0001 && n > 0 ? "< $0.0001" : `$${n.toFixed(4)}`);
  const qty = (n: number) => (n >= 100 ? n0(n) : n.toFixed(n >= 1 ? 1 : 4));
  return `## 5. Counted per recipient, and the cost

Counted, not timed, in the weekly digest run of section 2 (${n0(e.planned)} recipients, ${n0(c.batches)} batches): every DynamoDB request the handlers made, tagged by the queue consumer it ran in, with \`ReturnConsumedCapacity: TOTAL\` added by the bench (the capacity units are DynamoDB Local's own accounting, which follows DynamoDB's rules: 1 write unit per KB, 4 KB per read unit, strongly consistent reads full, transactions double); SES calls at the sink; MJML compilations, counted by wrapping mjml-core's entry point in the bench process; Node CPU for the whole run. The product code is unchanged by the counting.

${table(
  ["phase", "DynamoDB requests", "per recipient", "write units", "per recipient", "read units", "per recipient", "invocations", "log bytes per recipient", "requests by operation"],
  phases.map(([label, p]) => [label, n0(reqs(p)), f3(per(reqs(p))), n0(p.writeUnits), f3(per(p.writeUnits)), n0(p.readUnits), f3(per(p.readUnits)), n0(p.invocations), n0(per(p.logBytes ?? 0)), byOp(p) || "–"]),
)}

| figure | per run | per recipient | per 1,000 recipients |
| --- | --- | --- | --- |
| SES calls | ${n0(e.sink.bulk)} SendBulkEmail, ${n0(e.sink.sendEmail)} SendEmail | ${f3(per(e.sink.bulk + e.sink.sendEmail))} | ${f2(perK(e.sink.bulk + e.sink.sendEmail))} |
| MJML compilations | ${n0(c.mjmlCompilations)} | ${f3(per(c.mjmlCompilations))} | ${f2(perK(c.mjmlCompilations))} |
| Node CPU (every handler, the stack's HTTP server and the bench's own polling; ${cpus} cores) | ${s1(e.cpu.nodeSeconds)} | | **${f3(perK(e.cpu.nodeSeconds))} CPU-s** |
| DynamoDB Local's CPU, for comparison | ${e.cpu.dynamodbSeconds === undefined ? "n/a" : s1(e.cpu.dynamodbSeconds)} | | ${e.cpu.dynamodbSeconds === undefined ? "n/a" : `${f3(perK(e.cpu.dynamodbSeconds))} CPU-s`} |
| campaign header item after the run | ${n0(c.campaignHeaderBytes)} bytes (JSON) | | |

### What 100,000 digests cost, apart from SES

${PRICES.region} list prices as of the price list of ${PRICES.asOf} (the constants are in \`bench/lib/cost.ts\`; **check them against the AWS price list** before relying on them). The planner's and sender's quantities are the counts above scaled to 100,000 recipients; Lambda memory and concurrency are those configured in \`stacks/sizes.ts\`; the planner's and senders' Lambda time is the simulation's for 100,000 recipients at ${inputs.sesRatePerSecond} recipients a second (section 6; the senders wait for the shared pacer inside their invocations, so they are billed for the sending window). The SES feedback path (${FEEDBACK_MODEL.eventsPerRecipient} event${FEEDBACK_MODEL.eventsPerRecipient === 1 ? "" : "s"} a recipient: ${FEEDBACK_MODEL.events}) is not exercised locally and is modelled from the code: its lines say so.

${table(
  ["service", "what", "quantity per 100,000", "unit", "USD"],
  [...lines.map((l) => [l.service, l.what, qty(l.quantity), l.unit, usd(l.usd)]), ["**send path**", "planning and sending, without the feedback lines", "", "", `**${usd(sendPath)}**`], ["**all**", "", "", "", `**${usd(total)}**`]],
)}

Goal: ≤ $${COST_GOAL_PER_100K.toFixed(2)} per 100,000 digests: ${pass(total <= COST_GOAL_PER_100K)} (${usd(total)}; the send path alone ${usd(sendPath)}).
`;
}
