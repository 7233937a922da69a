import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { initProject } from "sst/project.js";
import { App, getStack } from "sst/constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../sst.config";
import { Api, CORS_HEADERS, CORS_METHODS, corsSettings } from "../../stacks/api";

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

async function synthesize(env: Record<string, string>): Promise<Template> {
  const outdir = mkdtempSync(join(tmpdir(), "mission-mail-synth-"));
  outdirs.push(outdir);
  const saved = Object.fromEntries(STACK_ENV.map((k) => [k, process.env[k]]));
  for (const name of STACK_ENV) delete process.env[name];
  Object.assign(process.env, env);
  try {
    const app = new App({ mode: "deploy", name: "mission-mail", stage: "test", region: "eu-north-1", account: "123456789012", isActiveStack: () => false }, { outdir });
    await config.stacks(app);
    await app.finish();
    return Template.fromStack(getStack(Api));
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
beforeAll(async () => {
  Object.assign(process.env, { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });
  await initProject({ stage: "test" });
  alone = await synthesize({});
  behindSite = await synthesize({ PUBLIC_URL: "https://missions.example.org/nyhetsbrev" });
}, SYNTH_TIMEOUT);

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
