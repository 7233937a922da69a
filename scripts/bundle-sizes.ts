import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build, type Metafile } from "esbuild";
import { AUDIENCES, ROUTES, audienceEntry } from "../packages/functions/src/routes";
import { FUNCTION_BUNDLING, PIPELINE_HANDLERS } from "../stacks/handlers";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The sender must stay small and MJML-free: it is on the hot path of every send. */
const SENDER = PIPELINE_HANDLERS.sender;
const SENDER_MAX_BYTES = 1024 * 1024;

/**
 * Most HTTP requests to a public agency's site are rare, so they meet a cold start: every HTTP
 * function must load within this, measured as the import of its bundle in a fresh Node process.
 */
export const HTTP_IMPORT_MAX_MS = 150;

/** Fresh Node processes per bundle whose import is timed (after one untimed warm-up); the median is reported. */
export const DEFAULT_IMPORT_RUNS = 7;

/**
 * Packages SST v2 (2.49) always leaves out of a Node bundle. It adds "aws-sdk" (SDK v2) only for CJS
 * bundles on nodejs16.x; for ESM on nodejs22.x nothing else is external, so the SDK v3 clients
 * (@aws-sdk/*) are bundled, as they are here.
 */
const SST_EXTERNALS = ["sharp", "pg-native"];

/** The banner SST v2 puts on every ESM bundle, so bundled CommonJS can still `require`. */
const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

/** What a bundle is: an HTTP function (one per audience), a pipeline function, or one route's module on its own. */
export type BundleKind = "http" | "pipeline" | "route";

export interface BundleSize {
  /** The handler file under packages/functions/src, without extension. */
  handler: string;
  kind: BundleKind;
  /** Size of the minified bundle: every .mjs that ships (the entry and any chunks), without source maps. */
  bytes: number;
  /** What a cold start loads: the entry and the chunks it imports statically (with code splitting, less than `bytes`). */
  startBytes: number;
  /** Whether any mjml package ships with the function. */
  hasMjml: boolean;
  /** Whether mjml is loaded on every cold start (false when it ships only in a chunk loaded on demand). */
  mjmlAtStart: boolean;
  /** Median time to import the bundle in a fresh Node process, in ms (a proxy for the function's cold start). */
  importMs?: number;
  /** Every timed import, in ms, in the order they ran. */
  importRuns?: number[];
  /** With `firstInvocation`: the import and the first invocation, timed in the same fresh processes. */
  firstInvocation?: FirstInvocationFigures;
}

/** One fresh process that imported a function's bundle and then invoked its handler once. */
export interface FirstInvocationRun {
  importMs: number;
  invokeMs: number;
  /** What the event was ("GET /missions"). */
  label: string;
  /** What the handler answered ("HTTP 200", "no failed records"), and whether that is what the event should get. */
  outcome: string;
  ok: boolean;
  /** AWS calls the invocation made (messages queued, events put, emails sent). */
  calls?: Record<string, number>;
}

/** The medians of a function's measured cold starts (import, first invocation, both in one process), and every run. */
export interface FirstInvocationFigures {
  label: string;
  importMs: number;
  invokeMs: number;
  /** Median over the processes of import + first invocation (not the sum of the two medians). */
  totalMs: number;
  runs: FirstInvocationRun[];
  /** Whether every run's answer was the expected one. */
  ok: boolean;
}

const isMjml = (input: string) => /(^|\/)node_modules\/mjml[^/]*\//.test(input);

/** Every Lambda function the app deploys, by handler file: one per HTTP audience, plus the pipeline's. */
export function deployedHandlers(): { handler: string; kind: BundleKind }[] {
  return [
    ...AUDIENCES.map((audience) => ({ handler: audienceEntry(audience), kind: "http" as const })),
    ...Object.values(PIPELINE_HANDLERS).map((handler) => ({ handler, kind: "pipeline" as const })),
  ];
}

/** Each route's own module, bundled alone: what every route shipped as when each route was its own function. */
export function routeHandlers(): { handler: string; kind: BundleKind }[] {
  return [...new Set(ROUTES.map((r) => r.handler))].map((handler) => ({ handler, kind: "route" as const }));
}

/** Whether a kind of function is bundled with code splitting, as the stacks bundle every deployed function; a route module alone is bundled as it shipped when each route was its own function, in one file. */
const splits = (kind: BundleKind) => kind !== "route" && FUNCTION_BUNDLING.splitting;

interface Built {
  bytes: number;
  startBytes: number;
  hasMjml: boolean;
  mjmlAtStart: boolean;
  metafile: Metafile;
  /** The entry point's source file, relative to the repository. */
  entry: string;
  /** The output files by path relative to the output directory; `main` is the entry's. */
  files: Map<string, Uint8Array>;
  main: string;
}

async function bundle(handler: string, kind: BundleKind): Promise<Built> {
  const entry = ["ts", "tsx", "js", "mjs"].map((ext) => join(root, "packages/functions/src", `${handler}.${ext}`)).find(existsSync);
  if (!entry) throw new Error(`No source file for handler ${handler}`);
  const splitting = splits(kind);
  // Not written: the outputs are returned, and their paths are computed under this directory.
  const outdir = join(root, ".bundle-sizes", kind, handler);
  const out = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    ...(splitting ? { outdir, splitting: true, outExtension: { ".js": ".mjs" } } : { outfile: join(outdir, `${basename(handler)}.mjs`) }),
    write: false,
    metafile: true,
    logLevel: "silent",
    // What SST v2 does for a nodejs22.x function with format "esm", plus minify (and splitting where the stacks split).
    platform: "node",
    format: "esm",
    target: "node22",
    bundle: true,
    minify: true,
    keepNames: true,
    mainFields: ["module", "main"],
    external: SST_EXTERNALS,
    banner: { js: SST_ESM_BANNER },
  });
  const outputs = out.metafile.outputs;
  // Chunks loaded by dynamic import() name their own entry points too: the function's is the handler's file.
  const mainKey = Object.keys(outputs).find((key) => outputs[key]!.entryPoint === relative(root, entry) && key.endsWith(".mjs"));
  if (!mainKey) throw new Error(`esbuild wrote no bundle for ${handler}`);
  // What a cold start loads: the entry and, transitively, every chunk it imports statically.
  const atStart = new Set([mainKey]);
  for (const queue = [mainKey]; queue.length; ) {
    for (const i of outputs[queue.shift()!]!.imports) {
      if (i.kind === "import-statement" && !i.external && outputs[i.path] && !atStart.has(i.path)) (atStart.add(i.path), queue.push(i.path));
    }
  }
  const js = Object.keys(outputs).filter((key) => key.endsWith(".mjs"));
  const sum = (keys: string[]) => keys.reduce((t, key) => t + outputs[key]!.bytes, 0);
  const ships = (key: string) => Object.keys(outputs[key]!.inputs).some(isMjml);
  const outRelative = relative(root, outdir);
  const files = new Map(out.outputFiles.filter((f) => f.path.endsWith(".mjs")).map((f) => [relative(outdir, f.path), f.contents]));
  return {
    bytes: sum(js),
    startBytes: sum([...atStart]),
    // By what the outputs hold: the metafile's inputs also list modules that tree shaking dropped.
    hasMjml: js.some(ships),
    mjmlAtStart: [...atStart].some(ships),
    metafile: out.metafile,
    entry: entry.slice(root.length + 1),
    files,
    main: relative(outRelative, mainKey),
  };
}

/**
 * How long a fresh Node process takes to import a bundle, in ms: the module's loading, parsing and
 * top-level evaluation, which Lambda pays on a cold start before the first invocation. The process
 * gets a Lambda-like environment (a region, no loaders), never this process's NODE_OPTIONS.
 */
function timeImport(file: string): number {
  const script = "const t0 = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t0)); process.exit(0);";
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script, pathToFileURL(file).href], {
    env: { PATH: process.env.PATH ?? "", AWS_REGION: "eu-north-1", MODE: "aws", AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return Number(out);
}

/** The medians of a function's cold starts; the total is the median of each process's import + invocation. */
export function firstInvocationFigures(runs: FirstInvocationRun[]): FirstInvocationFigures {
  return {
    label: runs[runs.length - 1]!.label,
    importMs: median(runs.map((r) => r.importMs)),
    invokeMs: median(runs.map((r) => r.invokeMs)),
    totalMs: median(runs.map((r) => r.importMs + r.invokeMs)),
    runs,
    ok: runs.every((r) => r.ok),
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface BundleOptions {
  /** Which handlers to bundle; default the deployed functions. */
  handlers?: { handler: string; kind: BundleKind }[];
  /** Timed imports per bundle in fresh Node processes; 0 skips the import timing. */
  importRuns?: number;
  /** Called as each step starts, for progress. */
  onStep?: (message: string) => void;
  /**
   * Times a deployed function's cold start instead of its import alone: a fresh Node process imports
   * the bundle at `file` and invokes its handler once with a representative event (bench/lib/cold-start.ts
   * gives one against the local stack). Its import time is then the import time reported. Route
   * modules alone are only imported.
   */
  firstInvocation?: (handler: string, file: string) => Promise<FirstInvocationRun>;
}

/**
 * Bundles every deployed function minified, as it would ship on nodejs22.x arm64, and reports its
 * size, whether it holds MJML, and the median time to import it in a fresh Node process. The imports
 * run round-robin over the bundles, so a moment of load elsewhere on the machine spreads over all of
 * them instead of skewing one.
 */
export async function bundleSizes(options: BundleOptions = {}): Promise<BundleSize[]> {
  const handlers = options.handlers ?? deployedHandlers();
  const runs = options.importRuns ?? DEFAULT_IMPORT_RUNS;
  const dir = mkdtempSync(join(tmpdir(), "mission-mail-bundles-"));
  try {
    const sizes: (BundleSize & { file: string })[] = [];
    options.onStep?.(`bundling ${handlers.length} handlers (minified)…`);
    for (const { handler, kind } of handlers) {
      const built = await bundle(handler, kind);
      const outdir = join(dir, kind, handler);
      for (const [path, contents] of built.files) {
        mkdirSync(dirname(join(outdir, path)), { recursive: true });
        writeFileSync(join(outdir, path), contents);
      }
      const { bytes, startBytes, hasMjml, mjmlAtStart } = built;
      sizes.push({ handler, kind, bytes, startBytes, hasMjml, mjmlAtStart, file: join(outdir, built.main) });
    }
    if (runs > 0) {
      const invoke = options.firstInvocation;
      const invoked = (s: { kind: BundleKind }) => invoke !== undefined && s.kind !== "route";
      const firstRuns = new Map<string, FirstInvocationRun[]>();
      // One untimed warm-up each (the file system's cache, and DynamoDB Local's own warm-up).
      for (const s of sizes) (invoked(s) ? await invoke!(s.handler, s.file) : timeImport(s.file));
      for (let run = 1; run <= runs; run++) {
        options.onStep?.(`${invoke ? "importing and invoking" : "importing"} each bundle in a fresh Node process: run ${run} of ${runs}…`);
        for (const s of sizes) {
          if (!invoked(s)) {
            (s.importRuns ??= []).push(timeImport(s.file));
            continue;
          }
          const r = await invoke!(s.handler, s.file);
          (s.importRuns ??= []).push(r.importMs);
          firstRuns.set(s.handler, [...(firstRuns.get(s.handler) ?? []), r]);
        }
      }
      for (const s of sizes) {
        s.importMs = median(s.importRuns!);
        const measured = firstRuns.get(s.handler);
        if (measured) s.firstInvocation = firstInvocationFigures(measured);
      }
    }
    return sizes.map(({ file: _file, ...s }) => s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)?.[1] ?? "(app)";

/**
 * How a package got into a bundle: the shortest chain of imports from the entry point to the first
 * file of a package matching `wanted` (breadth-first through the metafile), one chain per package.
 */
export function importChains(metafile: Metafile, entry: string, wanted: (pkg: string) => boolean): Map<string, string[]> {
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  const chains = new Map<string, string[]>();
  while (queue.length) {
    const file = queue.shift()!;
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || previous.has(imported.path)) continue;
      previous.set(imported.path, file);
      const pkg = packageOf(imported.path);
      if (wanted(pkg) && pkg !== packageOf(file) && !chains.has(pkg)) {
        const chain = [imported.path];
        for (let at: string | undefined = file; at; at = previous.get(at)) chain.unshift(at);
        chains.set(pkg, chain);
      }
      queue.push(imported.path);
    }
  }
  return chains;
}

/** What each package contributes to the minified bundle, largest first. */
function packageShares(metafile: Metafile): [string, number][] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** A metafile path without the node_modules prefix, for reading. */
const short = (path: string) => path.replace(/^(.*\/)?node_modules\//, "");

const ms = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(0)} ms`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string" }, routes: { type: "boolean" }, help: { type: "boolean" } } });
  if (values.help) {
    console.log(`npx tsx scripts/bundle-sizes.ts [options]

  --runs N   timed imports per bundle, each in a fresh Node process (default ${DEFAULT_IMPORT_RUNS}; 0 skips them)
  --routes   also bundle each route's module alone, as each route shipped when it was its own function`);
    return;
  }
  const importRuns = values.runs === undefined ? DEFAULT_IMPORT_RUNS : Number(values.runs);
  if (!Number.isInteger(importRuns) || importRuns < 0) throw new Error(`--runs must be a whole number, not "${values.runs}"`);
  const handlers = [...deployedHandlers(), ...(values.routes ? routeHandlers() : [])];
  const sizes = await bundleSizes({ handlers, importRuns, onStep: (m) => console.error(m) });

  const width = Math.max(...sizes.map((s) => s.handler.length), "handler".length);
  const mjml = (s: BundleSize) => (s.mjmlAtStart ? "yes" : s.hasMjml ? "on demand" : "no");
  const fastest = (s: BundleSize) => (s.importRuns?.length ? Math.min(...s.importRuns) : undefined);
  console.log(`${"handler".padEnd(width)}  ${"kind".padEnd(8)}  ${"minified".padStart(10)}  ${"at start".padStart(10)}  ${"mjml".padEnd(9)}  ${"import".padStart(8)}  ${"fastest".padStart(8)}`);
  console.log(`${"-".repeat(width)}  ${"-".repeat(8)}  ${"-".repeat(10)}  ${"-".repeat(10)}  ${"-".repeat(9)}  ${"-".repeat(8)}  ${"-".repeat(8)}`);
  for (const s of sizes) {
    console.log(`${s.handler.padEnd(width)}  ${s.kind.padEnd(8)}  ${kb(s.bytes).padStart(10)}  ${kb(s.startBytes).padStart(10)}  ${mjml(s).padEnd(9)}  ${ms(s.importMs).padStart(8)}  ${ms(fastest(s)).padStart(8)}`);
  }
  if (importRuns > 0) console.log(`\nimport: median (and fastest) of ${importRuns} fresh Node ${process.version} processes per bundle; load average ${loadavg().map((l) => l.toFixed(1)).join(", ")} on ${cpus().length} CPUs.`);

  const problems: string[] = [];
  for (const s of sizes.filter((x) => x.kind === "http" && x.importMs !== undefined && x.importMs > HTTP_IMPORT_MAX_MS)) {
    problems.push(`${s.handler} takes ${ms(s.importMs)} to import; the budget for an HTTP function is ${HTTP_IMPORT_MAX_MS} ms`);
  }
  const sender = sizes.find((s) => s.handler === SENDER)!;
  const senderProblems: string[] = [];
  if (sender.bytes > SENDER_MAX_BYTES) senderProblems.push(`${SENDER} is ${kb(sender.bytes)} minified; the budget is ${kb(SENDER_MAX_BYTES)}`);
  if (sender.hasMjml) senderProblems.push(`${SENDER} contains mjml`);
  if (!problems.length && !senderProblems.length) {
    console.log(`\n${SENDER}: within ${kb(SENDER_MAX_BYTES)} and free of mjml.${importRuns > 0 ? ` Every HTTP function imports within ${HTTP_IMPORT_MAX_MS} ms.` : ""}`);
    return;
  }
  process.exitCode = 1;
  if (problems.length) console.log(`\n${problems.join("; ")}.`);
  if (!senderProblems.length) return;
  const { metafile, entry } = await bundle(SENDER, "pipeline");
  console.log(`\n${senderProblems.join("; ")}. Minified bytes by package, and the import that pulls each in:`);
  const shares = packageShares(metafile).filter(([, bytes]) => bytes >= 16 * 1024);
  const chains = importChains(metafile, entry, (pkg) => pkg.startsWith("mjml") || shares.some(([name]) => name === pkg));
  for (const [name, bytes] of shares) {
    const chain = chains.get(name);
    console.log(`  ${name.padEnd(36)} ${kb(bytes).padStart(10)}  ${chain ? chain.map(short).join(" -> ") : ""}`);
  }
  for (const [name, chain] of chains) if (name.startsWith("mjml")) console.log(`  mjml via: ${chain.map(short).join(" -> ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
