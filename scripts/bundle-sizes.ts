import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { ROUTES } from "../packages/functions/src/routes";
import { PIPELINE_HANDLERS } from "../stacks/handlers";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The sender must stay small and MJML-free: it is on the hot path of every send. */
const SENDER = PIPELINE_HANDLERS.sender;
const SENDER_MAX_BYTES = 1024 * 1024;

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

export interface BundleSize {
  /** The handler file under packages/functions/src, without extension. */
  handler: string;
  /** Size of the minified bundle (the .mjs that ships, without its source map). */
  bytes: number;
  /** Whether any mjml package ended up in the bundle. */
  hasMjml: boolean;
}

const isMjml = (input: string) => /(^|\/)node_modules\/mjml[^/]*\//.test(input);

/** Every Lambda handler the app deploys: one per route, plus the pipeline's. */
export function allHandlers(): string[] {
  return [...new Set([...ROUTES.map((r) => r.handler), ...Object.values(PIPELINE_HANDLERS)])];
}

async function bundle(handler: string): Promise<{ bytes: number; metafile: Metafile; entry: string }> {
  const entry = ["ts", "tsx", "js", "mjs"].map((ext) => join(root, "packages/functions/src", `${handler}.${ext}`)).find(existsSync);
  if (!entry) throw new Error(`No source file for handler ${handler}`);
  const out = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    outfile: join(root, ".bundle-sizes", `${handler}.mjs`),
    write: false,
    metafile: true,
    logLevel: "silent",
    // What SST v2 does for a nodejs22.x function with format "esm", plus minify.
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
  const js = out.outputFiles.find((f) => f.path.endsWith(".mjs"));
  if (!js) throw new Error(`esbuild wrote no bundle for ${handler}`);
  return { bytes: js.contents.byteLength, metafile: out.metafile, entry: entry.slice(root.length + 1) };
}

/** Bundles every handler minified, as it would ship on nodejs22.x arm64, and reports size and MJML. */
export async function bundleSizes(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const handler of allHandlers()) {
    const { bytes, metafile } = await bundle(handler);
    sizes.push({ handler, bytes, hasMjml: Object.keys(metafile.inputs).some(isMjml) });
  }
  return sizes;
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

async function main(): Promise<void> {
  const sizes = await bundleSizes();
  const width = Math.max(...sizes.map((s) => s.handler.length), "handler".length);
  console.log(`${"handler".padEnd(width)}  ${"minified".padStart(10)}  mjml`);
  console.log(`${"-".repeat(width)}  ${"-".repeat(10)}  ----`);
  for (const s of sizes) console.log(`${s.handler.padEnd(width)}  ${kb(s.bytes).padStart(10)}  ${s.hasMjml ? "yes" : "no"}`);

  const sender = sizes.find((s) => s.handler === SENDER)!;
  const problems: string[] = [];
  if (sender.bytes > SENDER_MAX_BYTES) problems.push(`${SENDER} is ${kb(sender.bytes)} minified; the budget is ${kb(SENDER_MAX_BYTES)}`);
  if (sender.hasMjml) problems.push(`${SENDER} contains mjml`);
  if (!problems.length) {
    console.log(`\n${SENDER}: within ${kb(SENDER_MAX_BYTES)} and free of mjml.`);
    return;
  }
  const { metafile, entry } = await bundle(SENDER);
  console.log(`\n${problems.join("; ")}. Minified bytes by package, and the import that pulls each in:`);
  const shares = packageShares(metafile).filter(([, bytes]) => bytes >= 16 * 1024);
  const chains = importChains(metafile, entry, (pkg) => pkg.startsWith("mjml") || shares.some(([name]) => name === pkg));
  for (const [name, bytes] of shares) {
    const chain = chains.get(name);
    console.log(`  ${name.padEnd(36)} ${kb(bytes).padStart(10)}  ${chain ? chain.map(short).join(" -> ") : ""}`);
  }
  for (const [name, chain] of chains) if (name.startsWith("mjml")) console.log(`  mjml via: ${chain.map(short).join(" -> ")}`);
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
