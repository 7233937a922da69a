import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Template } from "aws-cdk-lib/assertions";
import { inject } from "vitest";
import { synthesizeApp, type NagFinding, type SynthesizedStack } from "../../scripts/synth";

/**
 * The app synthesized once per stage for every stack test file of a run. Each file runs in its own
 * worker, so the synthesis is shared on disk: the first file to ask for a stage synthesizes it into
 * the run's directory (tests/global-setup.ts provides it), and every other file reads what it wrote.
 * A file that needs both stages synthesizes one nobody has started yet before it waits for the other.
 *
 * Each stage is synthesized as every file needs it, once: the functions bundled (stacks.test.ts reads
 * the staff function's chunks) on the development stage "test", cdk-nag's checks on both, and
 * the settings below.
 */

export type Stage = "test" | "prod";

/** Settings the stacks read from the environment, unset so a developer's .env cannot change the result. */
const STACK_ENV = ["MAIL_DOMAIN", "MAIL_FROM", "PUBLIC_URL", "CORS_ORIGIN", "UNSUBSCRIBE_MAILTO", "REPLY_TO", "INBOUND_UNSUBSCRIBE", "APPROVAL_THRESHOLD", "LINK_CHECK", "STAFF_AUTH_DOMAIN_PREFIX", "SEND_RATE_PER_SECOND", "SEND_MODE", "ALARM_EMAIL", "AGENCY_NAME", "AGENCY_NAME_EN", "AGENCY_LOGO_URL"];

/** Where prod's alarms are mailed; the development stage has no ALARM_EMAIL. */
export const ALARM_EMAIL = "ops@example.org";

/** Secret values in the environment while the app is synthesized: no template or function may carry them. */
export const SECRET_CANARIES = {
  TOKEN_KEYS: "canary-token-keys-0123456789abcdef",
  ADDRESS_PEPPER: "canary-address-pepper-0123456789",
  IP_SALT: "canary-ip-salt-0123456789abcdef",
  WEBHOOK_SECRET: "canary-webhook-secret-0123456789",
  STAFF_TOKEN: "canary-staff-token-0123456789ab",
};

const SETTINGS: Record<Stage, { bundle: boolean; env: Record<string, string | undefined> }> = {
  test: { bundle: true, env: {} },
  prod: { bundle: false, env: { ALARM_EMAIL } },
};

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
  if (!synth) made.set(stage, (synth = claim(stage) ? synthesize(stage).then(() => load(stage)) : waitFor(stage)));
  return synth;
}

/** Every stage a file needs: the ones nobody has started are synthesized first, then the others are awaited. */
export async function synthesizedStages<S extends Stage[]>(...stages: S): Promise<{ [K in keyof S]: StageSynth }> {
  const ordered = [...stages].sort((a, b) => Number(started(a)) - Number(started(b)));
  for (const stage of ordered) await synthesized(stage);
  return (await Promise.all(stages.map(synthesized))) as { [K in keyof S]: StageSynth };
}

const runDir = () => inject("stackSynthDir");
const paths = (stage: Stage) => ({ lock: join(runDir(), `${stage}.lock`), result: join(runDir(), `${stage}.json`), outdir: join(runDir(), `${stage}.out`), workDir: join(runDir(), `${stage}.sst`) });
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

interface Written {
  stacks: SynthesizedStack[];
  findings: NagFinding[];
  error?: string;
}

async function synthesize(stage: Stage): Promise<void> {
  const { result, outdir, workDir } = paths(stage);
  const { bundle, env } = SETTINGS[stage];
  const saved = Object.fromEntries(Object.keys(SECRET_CANARIES).map((k) => [k, process.env[k]]));
  let written: Written;
  try {
    Object.assign(process.env, SECRET_CANARIES);
    const app = await synthesizeApp({
      stage,
      bundle,
      checks: true,
      account: "123456789012",
      region: "eu-north-1",
      outdir,
      // SST's working files apart from the other stage's, which another worker may be synthesizing now.
      workDir,
      env: { ...Object.fromEntries(STACK_ENV.map((name) => [name, undefined])), ...env },
    });
    written = { stacks: app.stacks, findings: app.findings };
  } catch (e) {
    written = { stacks: [], findings: [], error: (e as Error).stack ?? String(e) };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  // Written whole, then renamed: a file waiting for it never reads half of it.
  writeFileSync(`${result}.partial`, JSON.stringify(written));
  renameSync(`${result}.partial`, result);
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
