import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { stagePaths, writeResult, type Stage } from "./synthesis";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the stack test files share the app synthesized once per stage (./synthesized.ts). */
    stackSynthDir: string;
  }
}

const SYNTHESIS = fileURLToPath(new URL("./synthesis.ts", import.meta.url));

/**
 * A directory for the run, in which each stage of the app is synthesized once for every stack test
 * file; removed afterwards. Both stages start synthesizing here, each in a process of its own at a
 * lower priority, so that bundling and synthesis use what the other projects' files leave of the
 * cores (they wait on DynamoDB Local, the SES emulator and Chromium much of the time) instead of
 * holding test workers late in the run. The stage locks are taken first: the stack files then wait
 * for the results (./synthesized.ts). A process that dies without a result leaves one saying so.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "mission-mail-stack-synth-"));
  project.provide("stackSynthDir", dir);
  const children: ChildProcess[] = [];
  for (const stage of ["test", "prod"] as Stage[]) {
    mkdirSync(stagePaths(dir, stage).lock);
    const child = spawn(process.execPath, ["--import", "tsx", SYNTHESIS, dir, stage], { stdio: ["ignore", "inherit", "inherit"] });
    try {
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      // Not allowed to lower it: it runs at the normal priority.
    }
    child.on("exit", (code, signal) => {
      if (!existsSync(stagePaths(dir, stage).result)) writeResult(dir, stage, { stacks: [], findings: [], error: `the synthesis process for ${stage} ended (${signal ?? `exit code ${code}`}) without a result` });
    });
    children.push(child);
  }
  return () => {
    for (const child of children) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}
