import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** What every scenario reports about its own process, besides its figures. */
export interface ProcessFigures {
  /** Peak resident set of the scenario's Node process, in MB (process.resourceUsage().maxRSS). */
  maxRssMB: number;
  /** CPU time of the scenario's Node process, in seconds. */
  cpuSeconds: number;
  wallSeconds: number;
}

let logDir: string | undefined;

/**
 * Runs one scenario in its own Node process, so each one's peak memory is its own. The child's stdout
 * (the handlers' JSON logs) goes to a log file; its stderr (progress) is shown. Resolves with what the
 * child passed to `finish`.
 */
export async function runScenario<T>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<T & { process: ProcessFigures; log: string }> {
  logDir ??= mkdtempSync(join(tmpdir(), "mission-mail-bench-"));
  const name = `${script.replace(/\W+/g, "-")}-${args.join("-").replace(/\W+/g, "-")}`.replace(/-+$/, "");
  const log = join(logDir, `${name}.log`);
  const resultFile = join(logDir, `${name}.json`);
  const out = openSync(log, "w");
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/scenarios", script), ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", out, "inherit"],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", BENCH_RESULT: resultFile, ...env },
  });
  const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  closeSync(out);
  if (code !== 0) throw new Error(`Scenario ${script} ${args.join(" ")} failed (exit ${code}); its log is ${log}`);
  return { ...(JSON.parse(readFileSync(resultFile, "utf8")) as T & { process: ProcessFigures }), log };
}

const started = performance.now();

/** In a scenario: hands the figures to the parent, with this process's peak memory and CPU time, and exits. */
export function finish(result: object): never {
  const usage = process.resourceUsage();
  const process_: ProcessFigures = {
    maxRssMB: Math.round(usage.maxRSS / 1024),
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    wallSeconds: (performance.now() - started) / 1000,
  };
  const file = process.env.BENCH_RESULT;
  const json = JSON.stringify({ ...result, process: process_ }, null, 2);
  if (file) writeFileSync(file, json);
  else console.log(json);
  process.exit(0);
}

/** Runs a scenario's main, reporting a failure on stderr with a non-zero exit. */
export function main(fn: () => Promise<void>): void {
  fn().catch((err) => {
    process.stderr.write(`\n${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
