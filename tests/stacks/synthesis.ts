import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { synthesizeApp, type NagFinding, type SynthesizedStack } from "../../scripts/synth";

/**
 * One stage of the app synthesized into a run's directory, for ./synthesized.ts to read. The stack
 * tests' global setup (./global-setup.ts) runs this file once per stage in a process of its own at
 * the start of `npm test`, so the synthesis overlaps the other projects' files instead of holding a
 * test worker; run alone: `node --import tsx tests/stacks/synthesis.ts <dir> <test|prod>`.
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

export interface Written {
  stacks: SynthesizedStack[];
  findings: NagFinding[];
  error?: string;
}

/** Synthesizes `stage` into `dir` (./synthesized.ts reads it there), writing what it made or the error. */
export async function synthesizeStage(dir: string, stage: Stage): Promise<void> {
  const { outdir, workDir } = stagePaths(dir, stage);
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
  writeResult(dir, stage, written);
}


/** Where a stage's lock, result, cloud assembly and SST work folder are in a run's directory. */
export const stagePaths = (dir: string, stage: Stage) => ({ lock: join(dir, `${stage}.lock`), result: join(dir, `${stage}.json`), outdir: join(dir, `${stage}.out`), workDir: join(dir, `${stage}.sst`) });

/** Writes a stage's result whole, then renames it: a file waiting for it never reads half of it. */
export function writeResult(dir: string, stage: Stage, written: Written): void {
  const { result } = stagePaths(dir, stage);
  writeFileSync(`${result}.partial`, JSON.stringify(written));
  renameSync(`${result}.partial`, result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, stage] = process.argv.slice(2);
  if (!dir || (stage !== "test" && stage !== "prod")) throw new Error("usage: synthesis.ts <dir> <test|prod>");
  await synthesizeStage(dir, stage);
}
