/**
 * The Lambda functions' bundles, minified as they would ship, from the project's own bundle-size
 * script (which bundles like SST v2 does for nodejs22.x ESM): each one's size, whether it holds MJML,
 * and the median time a fresh Node process takes to import it (a proxy for the cold start). Each
 * route's module is also bundled and timed on its own, as every route shipped when it was its own
 * function, for comparison with the per-audience HTTP functions. Each deployed function is also
 * invoked once after its import, in the same fresh process, against the local stack (DynamoDB Local,
 * the SES sink, a stand-in for SQS and EventBridge: bench/lib/cold-start.ts), with a representative
 * event; without Java for DynamoDB Local, only the imports are timed.
 *
 *   node --import tsx bench/scenarios/bundles.ts
 */
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { REPO_ROOT, finish, main } from "../lib/child";
import { startColdStartStack, type ColdStartStack } from "../lib/cold-start";
import { monitorLoad } from "../lib/load";
import { step } from "../lib/progress";
import type { BundleResult } from "../lib/report";

type Sizes = NonNullable<BundleResult["sizes"]>;
interface BundleScript {
  bundleSizes?: (options?: {
    handlers?: { handler: string; kind: string }[];
    importRuns?: number;
    onStep?: (m: string) => void;
    firstInvocation?: ColdStartStack["invoke"];
  }) => Promise<Sizes>;
  deployedHandlers?: () => { handler: string; kind: string }[];
  routeHandlers?: () => { handler: string; kind: string }[];
  DEFAULT_IMPORT_RUNS?: number;
  HTTP_IMPORT_MAX_MS?: number;
}

main(async () => {
  const script = join(REPO_ROOT, "scripts/bundle-sizes.ts");
  if (!existsSync(script)) return finish({ available: false });
  const mod = (await import(pathToFileURL(script).href)) as BundleScript;
  if (typeof mod.bundleSizes !== "function") return finish({ available: false });
  const handlers = await import(pathToFileURL(join(REPO_ROOT, "stacks/handlers.ts")).href).catch(() => undefined);
  const sender = (handlers?.PIPELINE_HANDLERS?.sender as string | undefined) ?? "queues/send-mail";
  const load = monitorLoad(cpus().length);
  // `npm run bench -- --only bundles --runs N --skip-routes` makes a quicker run.
  const { values } = parseArgs({ options: { runs: { type: "string" }, "skip-routes": { type: "boolean" } } });
  const importRuns = values.runs ? Number(values.runs) : mod.DEFAULT_IMPORT_RUNS;
  const routeModules = values["skip-routes"] ? [] : (mod.routeHandlers?.() ?? []);
  const all = mod.deployedHandlers ? [...mod.deployedHandlers(), ...routeModules] : undefined;
  let stack: ColdStartStack | undefined;
  let firstInvocationError: string | undefined;
  try {
    step("starting the local stack for the first invocations (DynamoDB Local in memory, SES sink, SQS and EventBridge stand-in)…");
    stack = await startColdStartStack();
  } catch (err) {
    firstInvocationError = (err as Error).message.split("\n")[0];
    process.stderr.write(`  the first invocations are not measured: ${firstInvocationError}\n`);
  }
  let sizes: Sizes;
  try {
    sizes = await mod.bundleSizes({ handlers: all, importRuns, onStep: step, ...(stack ? { firstInvocation: stack.invoke } : {}) });
  } finally {
    await stack?.stop();
  }
  const routes = await import(pathToFileURL(join(REPO_ROOT, "packages/functions/src/routes.ts")).href).catch(() => undefined);
  const routesPerFunction: Record<string, number> = {};
  for (const route of (routes?.ROUTES ?? []) as { audience?: string }[]) {
    if (route.audience) routesPerFunction[`http/${route.audience}`] = (routesPerFunction[`http/${route.audience}`] ?? 0) + 1;
  }
  finish({
    available: true,
    sender,
    sizes,
    importRuns,
    httpImportMaxMs: mod.HTTP_IMPORT_MAX_MS,
    ...(firstInvocationError ? { firstInvocationError } : {}),
    routesPerFunction,
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    load: load.stop(),
  } satisfies Omit<BundleResult, "process">);
});
