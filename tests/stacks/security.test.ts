import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../sst.config";
import { offlineProject } from "../../scripts/synth";
import { AUDIENCES, type Audience } from "../../packages/functions/src/routes";
import { Api, CORS_HEADERS, CORS_METHODS, corsSettings } from "../../stacks/api";
import { PIPELINE_HANDLERS } from "../../stacks/handlers";
import { Pipeline } from "../../stacks/pipeline";

/**
 * What a browser may do with the HTTP API from another origin (CORS), checked on the synthesized
 * templates. Functions are not bundled (data-only synth), so this runs in seconds.
 */
const SYNTH_TIMEOUT = 240_000;
const STACK_ENV = ["MAIL_DOMAIN", "MAIL_FROM", "PUBLIC_URL", "CORS_ORIGIN", "UNSUBSCRIBE_MAILTO", "SEND_RATE_PER_SECOND", "SEND_MODE"];
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

async function synthesize(env: Record<string, string>): Promise<{ api: Template; pipeline: Template }> {
  const outdir = mkdtempSync(join(tmpdir(), "mission-mail-synth-"));
  outdirs.push(outdir);
  const saved = Object.fromEntries(STACK_ENV.map((k) => [k, process.env[k]]));
  for (const name of STACK_ENV) delete process.env[name];
  Object.assign(process.env, env);
  try {
    const app = new App({ mode: "deploy", name: "mission-mail", stage: "test", region: "eu-north-1", account: "123456789012", isActiveStack: () => false }, { outdir });
    await config.stacks(app);
    await app.finish();
    return { api: Template.fromStack(getStack(Api)), pipeline: Template.fromStack(getStack(Pipeline)) };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const corsOf = (t: Template) => {
  const apis = Object.values(t.findResources("AWS::ApiGatewayV2::Api")) as { Properties: { CorsConfiguration?: Record<string, unknown> } }[];
  expect(apis).toHaveLength(1);
  return apis[0]!.Properties.CorsConfiguration;
};

let alone: Template;
let behindSite: Template;
let pipeline: Template;
beforeAll(async () => {
  // SST's working folder of this file alone (removed with the assemblies), as every stack test file has.
  outdirs.push(await offlineProject("test"));
  const first = await synthesize({});
  alone = first.api;
  pipeline = first.pipeline;
  behindSite = (await synthesize({ PUBLIC_URL: "https://missions.example.org/nyhetsbrev" })).api;
}, SYNTH_TIMEOUT);

/**
 * Which function can read which secret: an SST binding gives a function both the
 * `SST_Secret_value_<NAME>` variable and the IAM right to read that one SSM parameter. Each function
 * gets only the secrets its code reads.
 */
const SECRETS = ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT", "WEBHOOK_SECRET"] as const;
const READS: Record<Audience | keyof typeof PIPELINE_HANDLERS, (typeof SECRETS)[number][]> = {
  public: [],
  subscriber: ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT"],
  webhook: ["WEBHOOK_SECRET"],
  staff: ["ADDRESS_PEPPER"],
  content: [],
  feedback: ["ADDRESS_PEPPER"],
  plan: [],
  sender: ["TOKEN_KEYS"],
  signUp: [],
  sweep: [],
  retention: ["ADDRESS_PEPPER"],
};

type Fn = { Properties: { Environment: { Variables: Record<string, unknown> }; Role: { "Fn::GetAtt": [string, string] } } };
/** Functions by their construct id (a data-only synth leaves their handlers as placeholders). */
const CONSTRUCT_IDS: Record<keyof typeof READS, string> = {
  public: "PublicHttp",
  subscriber: "SubscriberHttp",
  webhook: "WebhookHttp",
  staff: "StaffHttp",
  content: "Content",
  feedback: "Feedback",
  plan: "Plan",
  sender: "SendMail",
  signUp: "SignUp",
  sweep: "Sweep",
  retention: "Retention",
};
function functionFor(t: Template, name: keyof typeof READS): Fn {
  const found = Object.entries(t.findResources("AWS::Lambda::Function")).filter(([id]) => new RegExp(`^${CONSTRUCT_IDS[name]}[0-9A-F]{8}$`).test(id));
  expect(found, name).toHaveLength(1);
  return found[0]![1] as Fn;
}
/** The secrets whose SSM parameters a function's role may read. */
function readableSecrets(t: Template, fn: Fn): string[] {
  const role = fn.Properties.Role["Fn::GetAtt"][0];
  const statements = (Object.values(t.findResources("AWS::IAM::Policy")) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }[])
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith("ssm:")));
  const text = JSON.stringify(statements);
  return SECRETS.filter((name) => new RegExp(`Secret/${name}/value`).test(text));
}

describe("secrets", () => {
  it("names every function of the app", () => {
    expect(Object.keys(READS).sort()).toEqual([...AUDIENCES, ...Object.keys(PIPELINE_HANDLERS)].sort());
  });
  it.each(Object.keys(READS))("the %s function can read exactly the secrets its code reads", (name) => {
    const t = (AUDIENCES as readonly string[]).includes(name) ? alone : pipeline;
    const fn = functionFor(t, name as keyof typeof READS);
    const bound = SECRETS.filter((s) => fn.Properties.Environment.Variables[`SST_Secret_value_${s}`] !== undefined);
    const want = READS[name as keyof typeof READS];
    expect(bound, `${name}: bound`).toEqual(want);
    expect(readableSecrets(t, fn), `${name}: readable in SSM`).toEqual(want);
  });
});

describe("CORS of the HTTP API", () => {
  it("allows only the site's own origin (PUBLIC_URL's), the routes' methods and the headers the pages send, without credentials", () => {
    expect(corsOf(behindSite)).toEqual({
      AllowOrigins: ["https://missions.example.org"],
      AllowMethods: [...CORS_METHODS],
      AllowHeaders: CORS_HEADERS,
      AllowCredentials: false,
      MaxAge: 3600,
    });
  });

  it("answers no CORS at all when the site is the API itself (no PUBLIC_URL): no other origin may read it", () => {
    expect(corsOf(alone)).toBeUndefined();
  });

  it("takes CORS_ORIGIN over PUBLIC_URL, and refuses a setting that is not a URL", () => {
    expect(corsSettings({ PUBLIC_URL: "https://missions.example.org/x", CORS_ORIGIN: "https://www.example.org" })).toMatchObject({ allowOrigins: ["https://www.example.org"] });
    expect(() => corsSettings({ CORS_ORIGIN: "*" })).toThrow(/not a URL/);
  });
});
