import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Aspects, Aws } from "aws-cdk-lib/core";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { initProject, useProject } from "sst/project.js";
import { App, Stack } from "sst/constructs";
import config from "../sst.config";

/**
 * Offline synthesis of the whole app from sst.config.ts, as `sst deploy --stage <stage>` builds it,
 * with no AWS account: the templates can be reviewed (and checked with cdk-nag) before anything is
 * deployed. `npm run synth -- --stage prod` writes them to `cdk.out/<stage>/`.
 *
 * Two things differ from a deploy, both because they need the account:
 * - SST's deploy looks up its bootstrap stack (the bucket that holds source maps) while finishing the
 *   app, and adds a source-map uploader to every stack with functions. It skips both when
 *   `NODE_ENV=test`, which is why vitest can synthesize offline; this script sets it too.
 * - The account id is left to CloudFormation (`AWS::AccountId`) unless one is given.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface SynthOptions {
  /** The stage to synthesize, as `sst deploy --stage` takes it: `prod` and `production` retain data. */
  stage: string;
  /** Bundle every function with esbuild, as a deploy does (default). Without it, functions get placeholder code, which is enough for checks that read configuration only. */
  bundle?: boolean;
  /** Run cdk-nag's AwsSolutions pack over the app, with the suppressions the app applies itself (stacks/nag.ts). */
  checks?: boolean;
  /** The account id to put into ARNs; by default the templates are account-agnostic. */
  account?: string;
  /** The region; by default the one sst.config.ts chooses (`AWS_REGION`, else eu-north-1). */
  region?: string;
  /** Environment settings for the stacks (MAIL_DOMAIN, ALARM_EMAIL, …), applied after the stage's .env files are loaded; undefined unsets one. */
  env?: Record<string, string | undefined>;
  /** Where to write the cloud assembly (templates and bundled assets) and leave it; by default a temporary directory removed afterwards. */
  outdir?: string;
  /** SST's working folder for this synthesis (see offlineProject); by default a temporary directory removed afterwards. */
  workDir?: string;
}

/** A cdk-nag finding that no suppression covers. */
export interface NagFinding {
  stack: string;
  /** The construct path of the resource, e.g. `/prod-mission-mail-Storage/SendQueue/Queue/Resource`. */
  path: string;
  level: "error" | "warning";
  /** The rule and, for granular rules, the finding, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  rule: string;
  message: string;
}

export interface SynthesizedStack {
  /** The stack's name in CloudFormation, e.g. `prod-mission-mail-Storage`. */
  stackName: string;
  template: { Resources?: Record<string, { Type: string }>; [key: string]: unknown };
  resourceCount: number;
}

export interface SynthesizedApp {
  app: App;
  stage: string;
  region: string;
  stacks: SynthesizedStack[];
  /** Unsuppressed cdk-nag findings, when the checks ran. */
  findings: NagFinding[];
}

/** Settings that make SST's deploy-mode synthesis run offline and quietly. */
function offlineEnvironment(): void {
  process.env.NODE_ENV = "test";
  // SST runs `npm install` (with nothing to install) in every function's build directory.
  Object.assign(process.env, { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });
  // SST's CLI code loads the AWS SDK v2, which otherwise prints an end-of-support notice.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";
}

/**
 * Initialises SST's project for an offline synthesis of `stage`, with SST's working folder in
 * `workDir` instead of the project's `.sst/`, and answers that folder (a new temporary directory
 * unless one is given; the caller removes it). SST writes generated types (`types/`, removed and
 * rewritten by every App) and bundled functions (`artifacts/`) there, so two synths in parallel
 * processes, such as two test workers, must not share one: a removal racing another process's writes
 * fails with ENOTEMPTY.
 */
export async function offlineProject(stage: string, workDir?: string): Promise<string> {
  offlineEnvironment();
  await initProject({ stage });
  const dir = workDir ?? mkdtempSync(join(tmpdir(), `mission-mail-sst-${stage}-`));
  mkdirSync(dir, { recursive: true });
  // SST reads these paths from the project object whenever it writes, so pointing them elsewhere is enough.
  Object.assign(useProject().paths, { out: dir, artifacts: join(dir, "artifacts") });
  return dir;
}

/** The findings cdk-nag recorded as error or warning annotations in the assembly. */
function nagFindings(assembly: CloudAssembly): NagFinding[] {
  return assembly.stacks.flatMap((s) =>
    s.messages
      .filter((m) => (m.level === "error" || m.level === "warning") && typeof m.entry.data === "string" && m.entry.data.startsWith("AwsSolutions-"))
      .map((m) => {
        const text = m.entry.data as string;
        const colon = text.indexOf(": ");
        return {
          stack: s.stackName,
          path: m.id,
          level: m.level as "error" | "warning",
          rule: colon > 0 ? text.slice(0, colon) : text,
          message: colon > 0 ? text.slice(colon + 2) : text,
        };
      }),
  );
}

/**
 * Synthesizes every stack of sst.config.ts for a stage, offline. The cloud assembly (templates and
 * bundled assets) goes to `outdir`, or to a temporary directory that is removed afterwards; the
 * templates are returned. SST's own working files go to a folder of this synthesis alone
 * (offlineProject), so synths may run in parallel processes.
 */
export async function synthesizeApp(options: SynthOptions): Promise<SynthesizedApp> {
  const { stage, bundle = true, checks = false } = options;
  const workDir = await offlineProject(stage, options.workDir);
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const region = options.region ?? useProject().config.region ?? "eu-north-1";
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), `mission-mail-synth-${stage}-`));
  try {
    const app = new App(
      {
        mode: "deploy",
        name: useProject().config.name,
        stage,
        region,
        account: options.account ?? Aws.ACCOUNT_ID,
        ...(bundle ? {} : { isActiveStack: () => false }),
      },
      { outdir },
    );
    await config.stacks(app);
    if (checks) Aspects.of(app).add(new AwsSolutionsChecks({ reports: false }));
    await app.finish();
    const assembly = app.synth();
    const stacks = app.node.children
      .filter((c): c is Stack => c instanceof Stack)
      .map((s) => {
        const template = assembly.getStackByName(s.stackName).template;
        return { stackName: s.stackName, template, resourceCount: Object.keys(template.Resources ?? {}).length };
      });
    return { app, stage, region, stacks, findings: checks ? nagFindings(assembly) : [] };
  } finally {
    if (!options.outdir) rmSync(outdir, { recursive: true, force: true });
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/** Writes each stack's template as `<stack name>.template.json` into `dir` (replacing what was there), and the list of files. */
export function writeTemplates(result: SynthesizedApp, dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return result.stacks.map((s) => {
    const file = join(dir, `${s.stackName}.template.json`);
    writeFileSync(file, `${JSON.stringify(s.template, null, 2)}\n`);
    return file;
  });
}

/** One line per finding, for people: `error AwsSolutions-IAM5[...] at <path>: <message>`. */
export const formatFinding = (f: NagFinding): string => `${f.level} ${f.rule} at ${f.path}\n    ${f.message}`;

const USAGE = `Usage: npm run synth -- [--stage <stage>] [--out <dir>] [--account <id>] [--region <region>] [--no-bundle]

Synthesizes the whole app offline (no AWS account needed), checks it with cdk-nag's AwsSolutions
pack, and writes each stack's CloudFormation template to <dir> (default cdk.out/<stage>/).
--no-bundle skips bundling the functions (much faster; their code is then a placeholder).`;

/** The command line: answers the exit code (0 written and clean, 1 unsuppressed cdk-nag errors or a failed synthesis, 2 bad arguments). */
export async function main(argv: string[], log: (line: string) => void = console.log, fail: (line: string) => void = console.error): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stage: { type: "string", default: "dev" },
        out: { type: "string" },
        account: { type: "string" },
        region: { type: "string" },
        "no-bundle": { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    log(USAGE);
    return 0;
  }
  const stage = args.stage!;
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(stage)) {
    fail(`Invalid stage "${stage}": a stage starts with a letter, followed by letters, digits or hyphens.`);
    return 2;
  }
  if (args.account !== undefined && !/^\d{12}$/.test(args.account)) {
    fail(`Invalid account "${args.account}": an AWS account id has 12 digits.`);
    return 2;
  }
  const bundle = !args["no-bundle"];
  const dir = resolve(root, args.out ?? join("cdk.out", stage));

  const started = Date.now();
  log(`Synthesizing stage "${stage}" offline${bundle ? ", bundling every function (a few minutes)" : " without bundling functions"}…`);
  let result: SynthesizedApp;
  try {
    result = await synthesizeApp({ stage, bundle, checks: true, ...(args.account ? { account: args.account } : {}), ...(args.region ? { region: args.region } : {}) });
  } catch (err) {
    fail(`Synthesis of stage "${stage}" failed: ${(err as Error).message ?? err}`);
    return 1;
  }
  const files = writeTemplates(result, dir);

  const width = Math.max(...result.stacks.map((s) => s.stackName.length));
  log(`${result.stacks.length} stacks, stage "${stage}", region ${result.region}, in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  for (const s of result.stacks) log(`  ${s.stackName.padEnd(width)}  ${String(s.resourceCount).padStart(4)} resources`);
  log(`Templates written to ${relative(process.cwd(), dir) || "."}/ (${files.length} files)${bundle ? "" : "; function code is a placeholder (--no-bundle)"}.`);

  const errors = result.findings.filter((f) => f.level === "error");
  const warnings = result.findings.filter((f) => f.level === "warning");
  log(`cdk-nag AwsSolutions: ${errors.length} unsuppressed errors, ${warnings.length} unsuppressed warnings (suppressions and their reasons: stacks/nag.ts).`);
  for (const f of result.findings) log(`  ${formatFinding(f)}`);
  return errors.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
