import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Template } from "aws-cdk-lib/assertions";
import { inject } from "vitest";
import type { NagFinding, SynthesizedStack } from "../../scripts/synth";
import { stagePaths, synthesizeStage, type Stage, type Written } from "./synthesis";

export { ALARM_EMAIL, SECRET_CANARIES, type Stage } from "./synthesis";

/**
 * The app synthesized once per stage for every stack test file of a run, shared on disk in the run's
 * directory (./global-setup.ts provides it). The global setup starts both stages in processes of their
 * own (./synthesis.ts) and takes their locks, so a file normally just waits for a stage's result.
 * Should a stage's lock be free (a setup that did not start it), the first file to ask for the stage
 * synthesizes it, and a file that needs both stages synthesizes one nobody has started yet before it
 * waits for the other.
 *
 * Each stage is synthesized as every file needs it, once: the functions bundled (stacks.test.ts reads
 * the staff function's chunks) on the development stage "test", cdk-nag's checks on both, and
 * the settings in ./synthesis.ts.
 */


/** One stage's synthesis as the files read it. */
export interface StageSynth {
  stage: Stage;
  /** Each stack's template by its short name (Storage, Auth, Mail, Events, Api, Pipeline, Monitoring), in the app's order. */
  stacks: (SynthesizedStack & { name: string })[];
  /** cdk-nag AwsSolutions findings no suppression covers. */
  findings: NagFinding[];
  /** The cloud assembly directory: the bundled functions' assets are in `asset.<hash>/` (stage "test" only). */
  outdir: string;
  /** A stack's template for CDK's assertions. */
  template(name: string): Template;
}

/** How long a file waits for another to finish a stage: bundling every function takes minutes on a busy machine. */
export const SYNTH_TIMEOUT = 900_000;

const made = new Map<Stage, Promise<StageSynth>>();

/** The app synthesized for `stage`, shared by every stack test file of the run. */
export function synthesized(stage: Stage): Promise<StageSynth> {
  let synth = made.get(stage);
  if (!synth) made.set(stage, (synth = claim(stage) ? synthesizeStage(runDir(), stage).then(() => load(stage)) : waitFor(stage)));
  return synth;
}

/** Every stage a file needs: the ones nobody has started are synthesized first, then the others are awaited. */
export async function synthesizedStages<S extends Stage[]>(...stages: S): Promise<{ [K in keyof S]: StageSynth }> {
  const ordered = [...stages].sort((a, b) => Number(started(a)) - Number(started(b)));
  for (const stage of ordered) await synthesized(stage);
  return (await Promise.all(stages.map(synthesized))) as { [K in keyof S]: StageSynth };
}

const runDir = () => inject("stackSynthDir");
const paths = (stage: Stage) => stagePaths(runDir(), stage);
const started = (stage: Stage) => made.has(stage) || existsSync(paths(stage).lock);

/** Takes the stage for this file, atomically: whoever creates the lock directory synthesizes it. */
function claim(stage: Stage): boolean {
  try {
    mkdirSync(paths(stage).lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

async function waitFor(stage: Stage): Promise<StageSynth> {
  const deadline = Date.now() + SYNTH_TIMEOUT;
  while (!existsSync(paths(stage).result)) {
    if (Date.now() > deadline) throw new Error(`stage ${stage} was not synthesized within ${SYNTH_TIMEOUT / 1000} s`);
    await sleep(250);
  }
  return load(stage);
}

function load(stage: Stage): StageSynth {
  const { result, outdir } = paths(stage);
  const written = JSON.parse(readFileSync(result, "utf8")) as Written;
  if (written.error) throw new Error(`synthesizing stage ${stage} failed:\n${written.error}`);
  const stacks = written.stacks.map((s) => ({ ...s, name: s.stackName.replace(`${stage}-mission-mail-`, "") }));
  const templates = new Map<string, Template>();
  return {
    stage,
    stacks,
    findings: written.findings,
    outdir,
    template(name) {
      const stack = stacks.find((s) => s.name === name);
      if (!stack) throw new Error(`no stack ${name} on stage ${stage}`);
      if (!templates.has(name)) templates.set(name, Template.fromJSON(stack.template));
      return templates.get(name)!;
    },
  };
}
