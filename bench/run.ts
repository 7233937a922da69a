/**
 * `npm run bench`: measures the send path and writes BENCHMARKS.md. Each scenario runs in its own Node
 * process (bench/scenarios/), so its peak memory is its own; this script runs them one after another
 * (never two at once, so they do not compete for the cores) and writes the report.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem, platform, arch } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, runScenario } from "./lib/child";
import { monitorLoad } from "./lib/load";
import { simulationReport } from "./simulate";
import { renderSimulation } from "./lib/simulation-report";
import { bundleVerdicts, renderBundles, renderReport, verdicts, type BenchResults, type BundleResult, type CompileResult, type E2eResult, type PerRecipientResult, type RateResult } from "./lib/report";

const DEFAULTS = { subscribers: 100_000, compare: 10_000, items: 200, rateSubscribers: 7_000, rateLimit: 100 };

const { values } = parseArgs({
  options: {
    subscribers: { type: "string" },
    compare: { type: "string" },
    items: { type: "string" },
    "rate-subscribers": { type: "string" },
    "rate-limit": { type: "string" },
    storage: { type: "string" },
    out: { type: "string" },
    only: { type: "string" },
    runs: { type: "string" },
    "skip-routes": { type: "boolean" },
    help: { type: "boolean" },
  },
});

if (values.help) {
  console.log(`npm run bench [-- options]

  --subscribers N       weekly digest audience for the end-to-end figure (default ${DEFAULTS.subscribers})
  --compare N           audience of the bulk-versus-single comparison (default ${DEFAULTS.compare})
  --items N             content items published before the digests (default ${DEFAULTS.items})
  --rate-subscribers N  recipients of the rate-fidelity campaign (default ${DEFAULTS.rateSubscribers})
  --rate-limit N        SES rate in recipients per second for that campaign (default ${DEFAULTS.rateLimit})
  --storage memory|disk DynamoDB Local in memory (default) or on disk in a temporary directory
  --out FILE            where to write the report; a run with the defaults writes BENCHMARKS.md,
                        any other run writes to standard output unless --out is given
  --only bundles        only the bundle sizes, import times and cold starts (import + first invocation on
                        the local stack; a few minutes): prints that section of the report, to paste over
                        section 4 of BENCHMARKS.md
  --runs N              with --only bundles: fresh Node processes per bundle (default 7)
  --skip-routes         with --only bundles: leave out the route modules bundled alone (the comparison
                        with one function per route), for a quicker run
  --only simulate       only the 1,000,000-recipient simulation (seconds), on the stated counts:
                        prints section 6 (\`npm run simulate -- --from results.json\` uses a run's counts)`);
  process.exit(0);
}

const num = (value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Expected a positive whole number, got "${value}"`);
  return n;
};
const options = {
  subscribers: num(values.subscribers, DEFAULTS.subscribers),
  compare: num(values.compare, DEFAULTS.compare),
  items: num(values.items, DEFAULTS.items),
  rateSubscribers: num(values["rate-subscribers"], DEFAULTS.rateSubscribers),
  rateLimit: num(values["rate-limit"], DEFAULTS.rateLimit),
};
const storage = values.storage ?? "memory";
if (storage !== "memory" && storage !== "disk") throw new Error(`--storage must be memory or disk, not "${storage}"`);
const isDefault = Object.entries(DEFAULTS).every(([k, v]) => options[k as keyof typeof options] === v) && storage === "memory";
const out = values.out ?? (isDefault ? join(REPO_ROOT, "BENCHMARKS.md") : undefined);

const heading = (text: string) => process.stderr.write(`\n== ${text}\n`);

/** The commit the measured code is at, and whether the product code has uncommitted changes. */
function codeVersion(): { commit: string; uncommitted: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages", "templates"], { cwd: REPO_ROOT, encoding: "utf8" }).trim() !== "";
    return { commit, uncommitted: dirty };
  } catch {
    return { commit: "unknown", uncommitted: false };
  }
}

/** `--only bundles`: the bundle scenario alone, its section of the report on standard output. */
async function onlyBundles() {
  heading("4. bundle sizes and import times");
  const args = [...(values.runs ? ["--runs", String(num(values.runs, 7))] : []), ...(values["skip-routes"] ? ["--skip-routes"] : [])];
  const bundles = await runScenario<BundleResult>("bundles.ts", args);
  process.stdout.write(renderBundles(bundles));
  const v = bundleVerdicts(bundles);
  const line = (label: string, ok: boolean | undefined, detail: string) => process.stderr.write(`  ${ok === undefined ? "n/a " : ok ? "pass" : "FAIL"}  ${label}: ${detail}\n`);
  line("sender bundle", v.bundle, v.sender ? `${(v.sender.bytes / 1024).toFixed(0)} KiB, mjml: ${v.sender.hasMjml}` : "not measured");
  line("HTTP function imports", v.httpImport, v.slowestHttp ? `slowest ${v.slowestHttp.handler}, ${v.slowestHttp.importMs!.toFixed(0)} ms median` : "not measured");
  coldStartLines(v, line);
}

/** The cold-start verdicts: each HTTP function's, and the sender's and planner's, import + first invocation. */
function coldStartLines(v: ReturnType<typeof bundleVerdicts>, line: (label: string, ok: boolean | undefined, detail: string) => void) {
  const detail = (s: typeof v.slowestHttpColdStart) => (s?.firstInvocation ? `slowest ${s.handler}, ${s.firstInvocation.totalMs.toFixed(0)} ms median (import ${s.firstInvocation.importMs.toFixed(0)}, first invocation ${s.firstInvocation.invokeMs.toFixed(0)})` : "not measured");
  line("HTTP function cold starts", v.httpColdStart, detail(v.slowestHttpColdStart));
  line("sender and planner cold starts", v.pipelineColdStart, detail(v.slowestPipelineColdStart));
}

async function main() {
  if (values.only !== undefined) {
    if (values.only === "simulate") return void process.stdout.write(renderSimulation(simulationReport(1_000_000)));
    if (values.only !== "bundles") throw new Error(`--only takes "bundles" or "simulate", not "${values.only}"`);
    return onlyBundles();
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const code = codeVersion();
  const load = monitorLoad(cpus().length);
  const work = mkdtempSync(join(tmpdir(), "mission-mail-bench-variant-"));

  heading("4. bundle sizes and import times");
  const bundles = await runScenario<BundleResult>("bundles.ts");

  heading("1. per-recipient work after compilation");
  const variantFile = join(work, "variant.json");
  const compile = await runScenario<CompileResult>("per-recipient.ts", ["compile", variantFile]);
  const perRecipient = await runScenario<PerRecipientResult>("per-recipient.ts", ["send", variantFile]);

  heading("3. rate fidelity");
  const rate = await runScenario<RateResult>("rate.ts", [String(options.rateSubscribers), String(options.rateLimit), storage]);

  heading("2. end to end on the local stack");
  const e2e = await runScenario<E2eResult>("e2e.ts", [String(options.subscribers), String(options.compare), String(options.items), storage]);

  const cpuList = cpus();
  const results: BenchResults = {
    startedAt,
    code,
    load: load.stop(),
    wallSeconds: (performance.now() - t0) / 1000,
    machine: {
      cpus: cpuList.length,
      model: cpuList[0]?.model.trim() ?? "unknown",
      node: process.version,
      platform: `${platform()} ${arch()}`,
      memoryGB: Math.round(totalmem() / 1024 ** 3),
    },
    options,
    compile,
    perRecipient,
    e2e,
    rate,
    bundles,
    // Driven by this run's counts: the weekly digest's requests per batch and its variants.
    simulation: simulationReport(1_000_000, e2e.main),
  };
  const report = renderReport(results);
  const raw = join(work, "results.json");
  writeFileSync(raw, JSON.stringify(results, null, 2));
  if (out) writeFileSync(out, report);
  else process.stdout.write(report);

  const v = verdicts(results);
  const line = (label: string, ok: boolean | undefined, detail: string) => process.stderr.write(`  ${ok === undefined ? "n/a " : ok ? "pass" : "FAIL"}  ${label}: ${detail}\n`);
  heading(`done in ${(results.wallSeconds / 60).toFixed(1)} min${out ? `; report written to ${out}` : ""} (raw results: ${raw}; logs: ${join(compile.log, "..")})`);
  line("per-recipient work (bulk)", v.perRecipientBulk, `${perRecipient.bulk.medianUs.toFixed(1)} µs`);
  process.stderr.write(`  info  per-recipient work (single, for comparison): ${perRecipient.single.medianUs.toFixed(1)} µs\n`);
  line(`end to end, ${options.subscribers} subscribers`, v.endToEnd, `${e2e.main.totalSeconds.toFixed(1)} s, ${e2e.main.verification.duplicates} duplicates, ${e2e.main.verification.missing} missing`);
  line(`rate fidelity at ${options.rateLimit}/s`, v.rate, `mean ${v.rateMean.toFixed(1)}/s over ${rate.steadySeconds} s, ${rate.verification.duplicates} duplicates, ${rate.verification.missing} missing`);
  line("sender bundle", v.bundle, v.sender ? `${(v.sender.bytes / 1024).toFixed(0)} KiB, mjml: ${v.sender.hasMjml}` : "not measured");
  line("HTTP function imports", v.httpImport, v.slowestHttp ? `slowest ${v.slowestHttp.handler}, ${v.slowestHttp.importMs!.toFixed(0)} ms median` : "not measured");
  coldStartLines(v, line);
  if (results.load.available) process.stderr.write(`  other processes used ${(results.load.otherShare * 100).toFixed(0)}% of the machine during the run\n`);
}

main().catch((err) => {
  process.stderr.write(`\n${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
