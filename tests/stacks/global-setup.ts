import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the stack test files share the app synthesized once per stage (./synthesized.ts). */
    stackSynthDir: string;
  }
}

/** A directory for the run, in which each stage of the app is synthesized once for every stack test file; removed afterwards. */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "mission-mail-stack-synth-"));
  project.provide("stackSynthDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
