import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../sst.config";
import { offlineProject } from "../../scripts/synth";
import { OPTIONAL_HANDLERS } from "../../stacks/handlers";
import { Pipeline } from "../../stacks/pipeline";
import { Storage } from "../../stacks/storage";

/**
 * Unsubscribe by email is built only when the deploy asks for it (INBOUND_UNSUBSCRIBE=1): an SES
 * receipt rule set with one rule for the UNSUBSCRIBE_MAILTO address, whose action invokes the inbound
 * function. Synthesized offline without bundling (the resources, not the code, are under test).
 */

const SETTINGS = ["INBOUND_UNSUBSCRIBE", "UNSUBSCRIBE_MAILTO", "MAIL_DOMAIN", "MAIL_FROM", "REPLY_TO"];
const outdirs: string[] = [];
const saved = Object.fromEntries(SETTINGS.map((k) => [k, process.env[k]]));
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function synthesize(env: Record<string, string>): Promise<{ pipeline: Template; storage: Template }> {
  for (const k of SETTINGS) delete process.env[k];
  Object.assign(process.env, env);
  const outdir = mkdtempSync(join(tmpdir(), "mission-mail-inbound-"));
  outdirs.push(outdir);
  const app = new App({ mode: "deploy", name: "mission-mail", stage: "test", region: "eu-north-1", account: "123456789012", isActiveStack: () => false }, { outdir });
  await config.stacks(app);
  await app.finish();
  return { pipeline: Template.fromStack(getStack(Pipeline)), storage: Template.fromStack(getStack(Storage)) };
}

const inboundFunctions = (t: Template) =>
  Object.entries(t.findResources("AWS::Lambda::Function") as Record<string, { Properties: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } } }>).filter(([id]) =>
    id.startsWith("InboundUnsubscribe"),
  );

let off: { pipeline: Template; storage: Template };
let on: { pipeline: Template; storage: Template };
beforeAll(async () => {
  // SST's working folder of this file alone (removed with the assemblies), as every stack test file has.
  outdirs.push(await offlineProject("test"));
  off = await synthesize({});
  on = await synthesize({ INBOUND_UNSUBSCRIBE: "1", UNSUBSCRIBE_MAILTO: "unsubscribe@u.missions.example.org", REPLY_TO: "Redaktionen <red@missions.example.org>" });
}, 360_000);

describe("unsubscribe by email in AWS", () => {
  it("is not built by default: no receipt rules, no inbound function", () => {
    expect(Object.keys(off.pipeline.findResources("AWS::SES::ReceiptRuleSet"))).toHaveLength(0);
    expect(Object.keys(off.pipeline.findResources("AWS::SES::ReceiptRule"))).toHaveLength(0);
    expect(inboundFunctions(off.pipeline)).toHaveLength(0);
    // The general reply address defaults to info@ at the mail domain, for every function.
    const fns = Object.values(off.pipeline.findResources("AWS::Lambda::Function") as Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>).filter(
      (fn) => fn.Properties.Environment?.Variables?.MAIL_FROM !== undefined,
    );
    expect(fns.length).toBeGreaterThanOrEqual(5);
    for (const fn of fns) expect(fn.Properties.Environment?.Variables?.REPLY_TO).toBe("Missions <info@missions.example.org>");
  });

  it("with INBOUND_UNSUBSCRIBE=1: a rule set, one rule for the mailto address with scanning and TLS, invoking the inbound function", () => {
    const sets = on.pipeline.findResources("AWS::SES::ReceiptRuleSet");
    expect(Object.values(sets)).toHaveLength(1);
    const [setId] = Object.keys(sets);
    const rules = Object.values(on.pipeline.findResources("AWS::SES::ReceiptRule") as Record<string, { Properties: any }>);
    expect(rules).toHaveLength(1);
    const rule = rules[0]!.Properties;
    expect(rule.RuleSetName).toEqual({ Ref: setId });
    expect(rule.Rule).toMatchObject({ Enabled: true, Recipients: ["unsubscribe@u.missions.example.org"], ScanEnabled: true, TlsPolicy: "Require" });
    expect(rule.Rule.Actions).toHaveLength(1);
    const action = rule.Rule.Actions[0].LambdaAction;
    expect(action.InvocationType).toBe("Event");

    const [[fnId, fn]] = inboundFunctions(on.pipeline) as [[string, { Properties: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } } }]];
    expect(action.FunctionArn).toEqual({ "Fn::GetAtt": [fnId, "Arn"] });
    expect(fn.Properties.Environment!.Variables!.REPLY_TO).toBe("Redaktionen <red@missions.example.org>");
    expect(fn.Properties.Environment!.Variables!.FEEDBACK_DLQ_URL).toBeDefined();
    // SES may invoke it, from this account only; the function's failures go to the feedback dead-letter queue.
    const permissions = Object.values(on.pipeline.findResources("AWS::Lambda::Permission") as Record<string, { Properties: any }>).filter(
      (p) => JSON.stringify(p.Properties.FunctionName).includes(fnId) && p.Properties.Principal === "ses.amazonaws.com",
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties.SourceAccount).toBeDefined();
    const invokeConfig = Object.values(on.pipeline.findResources("AWS::Lambda::EventInvokeConfig") as Record<string, { Properties: any }>).find((c) => JSON.stringify(c.Properties.FunctionName).includes(fnId));
    expect(invokeConfig?.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    expect(OPTIONAL_HANDLERS.inboundUnsubscribe).toBe("events/inbound-unsubscribe");
  });
});
