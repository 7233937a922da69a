import { Annotations, Match } from "aws-cdk-lib/assertions";
import { App as CdkApp, Aspects, Stack as CdkStack } from "aws-cdk-lib/core";
import * as apigatewayv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { REASONS, applyNagSuppressions } from "../../stacks/nag";
import type { NagFinding } from "../../scripts/synth";
import { SYNTH_TIMEOUT, synthesized, type StageSynth } from "./synthesized";

/**
 * The whole app from sst.config.ts, checked with cdk-nag's AwsSolutions pack (an aspect on the app),
 * with the suppressions the app applies itself (stacks/nag.ts): no error may remain unsuppressed, on
 * a development stage or on prod, and every suppression carries one of the written reasons. The
 * findings are the stacks' annotations in the cloud assembly (what `Annotations.fromStack` reads; it
 * would synthesize an SST app a second time), from the synthesis every stack test file shares
 * (./synthesized.ts).
 */

/** Findings as a person reads them, so a failing test says what to fix or suppress. */
const readable = (list: NagFinding[]) => list.map((f) => `\n  ${f.rule} at ${f.path}\n    ${f.message.split("\n")[0]}`).join("");

/** Every suppression in the synthesized templates: on resources (Metadata.cdk_nag) and on stacks. */
function suppressions(result: StageSynth): { where: string; id: string; reason: string; appliesTo?: unknown[] }[] {
  return result.stacks.flatMap((s) => {
    const t = s.template as { Metadata?: any; Resources?: Record<string, any> };
    const onStack = (t.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((r: any) => ({ where: s.stackName, id: r.id, reason: r.reason, appliesTo: r.applies_to }));
    const onResources = Object.entries(t.Resources ?? {}).flatMap(([id, r]) =>
      (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((x: any) => ({ where: `${s.stackName}/${id}`, id: x.id, reason: x.reason, appliesTo: x.applies_to })),
    );
    return [...onStack, ...onResources];
  });
}

describe.each(["test", "prod"] as const)("cdk-nag AwsSolutions on stage %s", (stage) => {
  let result: StageSynth;
  beforeAll(async () => {
    result = await synthesized(stage);
  }, SYNTH_TIMEOUT);

  it("checks every stack of the app", () => {
    expect(result.stacks.map((s) => s.stackName.replace(`${stage}-mission-mail-`, ""))).toEqual(["Storage", "Auth", "Mail", "Events", "Api", "Pipeline", "Monitoring"]);
  });

  it("leaves no error unsuppressed", () => {
    const errors = result.findings.filter((f) => f.level === "error");
    expect(errors.length, `unsuppressed cdk-nag errors: fix them, or suppress them in stacks/nag.ts with a reason:${readable(errors)}`).toBe(0);
  });

  it("leaves no warning unsuppressed", () => {
    const warnings = result.findings.filter((f) => f.level === "warning");
    expect(warnings.length, `unsuppressed cdk-nag warnings:${readable(warnings)}`).toBe(0);
  });

  it("gives every suppression one of the written reasons in stacks/nag.ts", () => {
    const all = suppressions(result);
    expect(all.length).toBeGreaterThan(0);
    const reasons = new Set<string>(Object.values(REASONS));
    for (const s of all) expect(reasons.has(s.reason), `${s.where} ${s.id}: "${s.reason}"`).toBe(true);
  });

  it("suppresses IAM wildcards only for named findings, never a rule as a whole", () => {
    for (const s of suppressions(result).filter((x) => x.id === "AwsSolutions-IAM5" || x.id === "AwsSolutions-IAM4")) {
      expect(s.appliesTo?.length, `${s.where} ${s.id}`).toBeGreaterThan(0);
    }
  });

  it("never excuses a staff route from the authorizer", () => {
    const api = result.stacks.find((s) => s.stackName.endsWith("-Api"))!.template.Resources as Record<string, any>;
    const staffRoutes = Object.values(api).filter((r) => r.Type === "AWS::ApiGatewayV2::Route" && / \/api\/staff\//.test(r.Properties.RouteKey));
    expect(staffRoutes.length).toBeGreaterThan(0);
    for (const r of staffRoutes) {
      expect(r.Properties.AuthorizationType, r.Properties.RouteKey).toBe("JWT");
      expect(r.Metadata?.cdk_nag, r.Properties.RouteKey).toBeUndefined();
    }
  });
});

describe("the suppressions", () => {
  /** A small CDK app with the AwsSolutions pack and the app's suppressions: what stays flagged. */
  function check(build: (stack: CdkStack) => void): string[] {
    const app = new CdkApp();
    const stack = new CdkStack(app, "Probe");
    build(stack);
    applyNagSuppressions(app);
    Aspects.of(app).add(new AwsSolutionsChecks({ reports: false }));
    return Annotations.fromStack(stack)
      .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
      .map((m) => String(m.entry.data).replace(/: [\s\S]*$/, ""));
  }

  it("excuse public routes but not a staff route that lost its authorizer", () => {
    const flagged = check((stack) => {
      const api = new apigatewayv2.CfnApi(stack, "Api", { name: "probe", protocolType: "HTTP" });
      new apigatewayv2.CfnRoute(stack, "Public", { apiId: api.ref, routeKey: "GET /missions" });
      new apigatewayv2.CfnRoute(stack, "Unsubscribe", { apiId: api.ref, routeKey: "POST /unsubscribe" });
      new apigatewayv2.CfnRoute(stack, "Staff", { apiId: api.ref, routeKey: "GET /api/staff/audit" });
      new apigatewayv2.CfnRoute(stack, "Unknown", { apiId: api.ref, routeKey: "GET /not-a-route" });
    });
    expect(flagged.filter((f) => f.startsWith("AwsSolutions-APIG4"))).toHaveLength(2);
  });

  it("excuse '*' for X-Ray's actions only, not for anything else", () => {
    const flagged = check((stack) => {
      const role = new iam.Role(stack, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
      role.addToPolicy(new iam.PolicyStatement({ actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] }));
      const other = new iam.Role(stack, "Other", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
      other.addToPolicy(new iam.PolicyStatement({ actions: ["xray:PutTraceSegments", "sqs:SendMessage"], resources: ["*"] }));
    });
    expect(flagged).toEqual(["AwsSolutions-IAM5[Resource::*]"]);
  });

  it("excuse a dead-letter queue from having one, not a work queue without one", () => {
    const flagged = check((stack) => {
      new sqs.Queue(stack, "ContentDeadLetterQueue", { enforceSSL: true });
      const dlq = new sqs.Queue(stack, "SendDeadLetterQueue", { enforceSSL: true });
      new sqs.Queue(stack, "SendQueue", { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
      new sqs.Queue(stack, "PlanQueue", { enforceSSL: true });
    });
    expect(flagged).toEqual(["AwsSolutions-SQS3"]);
  });
});
