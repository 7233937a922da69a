/**
 * Bundle sizes of the Lambda handlers, minified as they would ship, from the project's own
 * bundle-size script (which bundles like SST v2 does for nodejs22.x ESM).
 *
 *   node --import tsx bench/scenarios/bundles.ts
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT, finish, main } from "../lib/child";
import { step } from "../lib/progress";

main(async () => {
  const script = join(REPO_ROOT, "scripts/bundle-sizes.ts");
  if (!existsSync(script)) return finish({ available: false });
  step("bundling every handler (minified)…");
  const mod = (await import(pathToFileURL(script).href)) as { bundleSizes?: () => Promise<{ handler: string; bytes: number; hasMjml: boolean }[]> };
  if (typeof mod.bundleSizes !== "function") return finish({ available: false });
  const handlers = await import(pathToFileURL(join(REPO_ROOT, "stacks/handlers.ts")).href).catch(() => undefined);
  const sender = (handlers?.PIPELINE_HANDLERS?.sender as string | undefined) ?? "queues/send-mail";
  finish({ available: true, sender, sizes: await mod.bundleSizes() });
});
