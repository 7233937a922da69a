import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { initProject } from "sst/project.js";
import { App, getStack } from "sst/constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES, type RouteSpec } from "../../packages/functions/src/routes";
import config from "../../sst.config";
import { Api, SENDER_BATCH_SIZE, SENDER_MAX_CONCURRENCY } from "../../stacks/api";
import { Mail } from "../../stacks/mail";
import { Storage, SENDER_TIMEOUT_SECONDS, SEND_MAX_RECEIVE_COUNT } from "../../stacks/storage";
import { Events } from "../../stacks/events";

/**
 * Offline synthesis of the whole app from sst.config.ts, as `sst deploy` would build it, but without
 * AWS: vitest sets NODE_ENV=test, which keeps SST from looking up the bootstrap stack. SST bundles every
 * function with esbuild during the synth, so the app is synthesized once and shared by all tests.
 */

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };
type Templates = Record<"Storage" | "Mail" | "Events" | "Api", Template>;

const SYNTH_TIMEOUT = 180_000;
const REGION = "eu-north-1";

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes the app for a stage; `build: false` skips bundling functions (for data-only checks). */
async function synthesize(stage: string, { build = true } = {}): Promise<Templates> {
  // CDK would otherwise leave a cdk.out* directory with copies of every bundle in the system temp dir.
  const outdir = mkdtempSync(join(tmpdir(), "mission-mail-synth-"));
  outdirs.push(outdir);
  const app = new App(
    {
      mode: "deploy",
      name: "mission-mail",
      stage,
      region: REGION,
      account: "123456789012",
      ...(build ? {} : { isActiveStack: () => false }),
    },
    { outdir },
  );
  await config.stacks(app);
  await app.finish();
  // getStack resolves against the current app, so read the templates before another app is made.
  const template = (fn: Parameters<typeof getStack>[0]) => Template.fromStack(getStack(fn));
  return { Storage: template(Storage), Mail: template(Mail), Events: template(Events), Api: template(Api) };
}

const resources = (t: Template, type: string): [string, Resource][] =>
  Object.entries(t.findResources(type) as Record<string, Resource>);

const only = <T>(items: T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  return items[0]!;
};

/** The Allow statements attached to a function's role (inline and AWS::IAM::Policy). */
function roleStatements(t: Template, functionId: string): any[] {
  const fn = t.toJSON().Resources[functionId] as Resource;
  const roleId: string = fn.Properties!.Role["Fn::GetAtt"][0];
  const statements: any[] = [];
  for (const [, policy] of resources(t, "AWS::IAM::Policy")) {
    if ((policy.Properties!.Roles as any[]).some((r) => r.Ref === roleId)) statements.push(...policy.Properties!.PolicyDocument.Statement);
  }
  const role = t.toJSON().Resources[roleId] as Resource;
  for (const p of role.Properties!.Policies ?? []) statements.push(...p.PolicyDocument.Statement);
  return statements.filter((s) => s.Effect === "Allow");
}

/** The policy actions attached to a function's role, as one flat list. */
function roleActions(t: Template, functionId: string): string[] {
  return roleStatements(t, functionId).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Logical id of the Lambda function behind an HTTP route, followed from route to integration to function. */
function routeFunctionId(t: Template, route: RouteSpec): string {
  const routeKey = `${route.method} ${route.path}`;
  const [, r] = only(
    resources(t, "AWS::ApiGatewayV2::Route").filter(([, r]) => r.Properties!.RouteKey === routeKey),
    `route ${routeKey}`,
  );
  const target: any[] = r.Properties!.Target["Fn::Join"][1];
  const integrationId: string = target.find((p) => typeof p === "object" && p.Ref).Ref;
  const integration = t.toJSON().Resources[integrationId] as Resource;
  return integration.Properties!.IntegrationUri["Fn::GetAtt"][0];
}

/** Our functions are the SST ones (they carry SST_APP); CDK's and SST's custom-resource handlers are not. */
const appFunctions = (t: Template) => resources(t, "AWS::Lambda::Function").filter(([, f]) => f.Properties?.Environment?.Variables?.SST_APP);

const DYNAMODB_WRITES = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:TransactWriteItems",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
];
const isWrite = (a: string) => a === "dynamodb:*" || a === "*" || DYNAMODB_WRITES.includes(a);
const isDynamo = (a: string) => a === "*" || a.startsWith("dynamodb:");
const canSendToQueue = (a: string) => a === "*" || a === "sqs:*" || a === "sqs:SendMessage";

let app: Templates;

/** Settings the stacks read from the environment; initProject may load them from a developer's .env. */
const STACK_ENV = ["MAIL_DOMAIN", "MAIL_FROM", "PUBLIC_URL", "UNSUBSCRIBE_MAILTO"];

beforeAll(async () => {
  // SST runs `npm install` (with no dependencies) in every function's build directory: keep it offline.
  Object.assign(process.env, { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });
  await initProject({ stage: "test" });
  for (const name of STACK_ENV) delete process.env[name];
  app = await synthesize("test");
}, SYNTH_TIMEOUT);

describe("Storage", () => {
  const table = () => only(resources(app.Storage, "AWS::DynamoDB::Table"), "one table")[1].Properties!;

  it("keys the table on PK/SK, on demand", () => {
    expect(table().KeySchema).toEqual([
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ]);
    expect(table().BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("has GSI1 on GSI1PK/GSI1SK", () => {
    const gsi = only(
      (table().GlobalSecondaryIndexes as any[]).filter((i) => i.IndexName === "GSI1"),
      "GSI1",
    );
    expect(gsi.KeySchema).toEqual([
      { AttributeName: "GSI1PK", KeyType: "HASH" },
      { AttributeName: "GSI1SK", KeyType: "RANGE" },
    ]);
  });

  it("enables point-in-time recovery and TTL on expiresAt", () => {
    expect(table().PointInTimeRecoverySpecification).toMatchObject({ PointInTimeRecoveryEnabled: true });
    expect(table().TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });

  it("drains poison messages from the send queue to a DLQ, and outlasts the sender's timeout", () => {
    const queues = resources(app.Storage, "AWS::SQS::Queue");
    const [, send] = only(
      queues.filter(([, q]) => q.Properties!.RedrivePolicy),
      "one queue with a redrive policy",
    );
    const dlqId: string = send.Properties!.RedrivePolicy.deadLetterTargetArn["Fn::GetAtt"][0];
    expect(send.Properties!.RedrivePolicy.maxReceiveCount).toBe(SEND_MAX_RECEIVE_COUNT);
    expect(app.Storage.toJSON().Resources[dlqId].Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(send.Properties!.VisibilityTimeout).toBeGreaterThanOrEqual(6 * SENDER_TIMEOUT_SECONDS);
  });

  it("destroys stateful resources on a non-production stage", () => {
    expect(only(resources(app.Storage, "AWS::DynamoDB::Table"), "table")[1].DeletionPolicy).toBe("Delete");
    expect(table().DeletionProtectionEnabled).toBeFalsy();
  });
});

describe("Storage on prod", () => {
  let prod: Templates;
  beforeAll(async () => {
    prod = await synthesize("prod", { build: false });
  }, SYNTH_TIMEOUT);

  it("retains and delete-protects the table and retains the queues", () => {
    const [, t] = only(resources(prod.Storage, "AWS::DynamoDB::Table"), "table");
    expect(t.DeletionPolicy).toBe("Retain");
    expect(t.Properties!.DeletionProtectionEnabled).toBe(true);
    for (const [id, q] of resources(prod.Storage, "AWS::SQS::Queue")) expect(q.DeletionPolicy, id).toBe("Retain");
  });
});

describe("Mail", () => {
  it("verifies the domain with Easy DKIM and a custom MAIL FROM", () => {
    app.Mail.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "missions.example.org",
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: { MailFromDomain: "bounce.missions.example.org" },
    });
  });

  it("tracks opens and clicks only in the tracking configuration set", () => {
    const sets = resources(app.Mail, "AWS::SES::ConfigurationSet");
    expect(sets.map(([, s]) => s.Properties!.Name).sort()).toEqual(["mission-mail-test", "mission-mail-test-tracking"]);
    for (const [, s] of sets) expect(s.Properties!.ReputationOptions).toEqual({ ReputationMetricsEnabled: true });

    const destinations = resources(app.Mail, "AWS::SES::ConfigurationSetEventDestination");
    const eventsOf = (name: string) =>
      only(
        destinations.filter(([, d]) => d.Properties!.ConfigurationSetName.Ref && nameOf(d.Properties!.ConfigurationSetName.Ref) === name),
        `destination of ${name}`,
      )[1].Properties!.EventDestination.MatchingEventTypes as string[];
    const nameOf = (id: string) => app.Mail.toJSON().Resources[id].Properties.Name;

    expect(eventsOf("mission-mail-test")).not.toContain("open");
    expect(eventsOf("mission-mail-test")).not.toContain("click");
    expect(eventsOf("mission-mail-test-tracking")).toEqual(expect.arrayContaining(["open", "click"]));
  });
});

describe("Api", () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("routes %s to its own function", (_key, route) => {
    const fnId = routeFunctionId(app.Api, route);
    const fn = app.Api.toJSON().Resources[fnId] as Resource;
    expect(fn.Type).toBe("AWS::Lambda::Function");
    expect(fn.Properties!.Environment.Variables.SST_APP).toBe("mission-mail");
  });

  it("gives every route a function of its own", () => {
    const ids = ROUTES.map((r) => routeFunctionId(app.Api, r));
    expect(new Set(ids).size).toBe(ROUTES.length);
  });

  it("runs every app function on nodejs22.x, arm64, with one month of logs", () => {
    const fns = [...appFunctions(app.Api), ...appFunctions(app.Storage), ...appFunctions(app.Mail), ...appFunctions(app.Events)];
    expect(fns.length).toBe(ROUTES.length + 1);
    for (const [id, f] of fns) {
      expect(f.Properties!.Runtime, id).toBe("nodejs22.x");
      expect(f.Properties!.Architectures, id).toEqual(["arm64"]);
      expect(f.Properties!.Environment.Variables.MODE, id).toBe("aws");
    }
    const retentions = resources(app.Api, "Custom::LogRetention");
    expect(retentions).toHaveLength(appFunctions(app.Api).length);
    for (const [id, r] of retentions) expect(r.Properties!.RetentionInDays, id).toBe(30);
  });

  it("gives each function the configuration its code reads", () => {
    for (const [id, f] of appFunctions(app.Api)) {
      const env = f.Properties!.Environment.Variables;
      for (const name of ["TABLE_NAME", "PUBLIC_URL", "MAIL_FROM", "UNSUBSCRIBE_MAILTO", "CONFIGURATION_SET", "CONFIGURATION_SET_TRACKING"]) {
        expect(env[name], `${id} ${name}`).toBeDefined();
      }
      for (const secret of ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT"]) {
        expect(env[`SST_Secret_value_${secret}`], `${id} binds ${secret}`).toBeDefined();
      }
    }
  });

  it("links emails to the API when no PUBLIC_URL is set, and names the sender and unsubscribe address", () => {
    const httpApiId = only(Object.keys(app.Api.findResources("AWS::ApiGatewayV2::Api")), "one HTTP API");
    for (const [id, f] of appFunctions(app.Api)) {
      const env = f.Properties!.Environment.Variables;
      expect(JSON.stringify(env.PUBLIC_URL), id).toContain(`"${httpApiId}"`);
      expect(env.MAIL_FROM, id).toBe("Missions <news@missions.example.org>");
      expect(env.UNSUBSCRIBE_MAILTO, id).toBe("unsubscribe@missions.example.org");
    }
  });

  describe.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("least privilege for %s", (_key, route) => {
    const actions = () => roleActions(app.Api, routeFunctionId(app.Api, route));
    const env = () => (app.Api.toJSON().Resources[routeFunctionId(app.Api, route)] as Resource).Properties!.Environment.Variables;

    it(`has table access "${route.table}" and nothing more`, () => {
      const a = actions();
      if (route.table === "none") expect(a.filter(isDynamo)).toEqual([]);
      if (route.table === "read") {
        expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query"]));
        expect(a.filter(isWrite)).toEqual([]);
      }
      if (route.table === "write") expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]));
      expect(a).not.toContain("dynamodb:Scan");
      expect(a).not.toContain("dynamodb:DeleteTable");
      expect(a).not.toContain("dynamodb:*");
    });

    it(route.queue ? "may enqueue mail" : "may not enqueue mail", () => {
      expect(actions().some(canSendToQueue)).toBe(Boolean(route.queue));
      expect(env().SEND_QUEUE_URL !== undefined).toBe(Boolean(route.queue));
    });

    it("cannot send email itself", () => {
      expect(actions().filter((a) => a.startsWith("ses:"))).toEqual([]);
    });
  });

  describe("the sender", () => {
    const senderId = () =>
      only(
        appFunctions(app.Api).filter(([, f]) => f.Properties!.Timeout === SENDER_TIMEOUT_SECONDS && !isRouteFunction(f)),
        "one sender",
      )[0];
    const isRouteFunction = (f: Resource) => ROUTES.some((r) => app.Api.toJSON().Resources[routeFunctionId(app.Api, r)] === f);
    const actions = () => roleActions(app.Api, senderId());

    it("consumes the send queue in batches with partial failures and capped concurrency", () => {
      const [, mapping] = only(resources(app.Api, "AWS::Lambda::EventSourceMapping"), "one event source mapping");
      expect(mapping.Properties!.FunctionName.Ref).toBe(senderId());
      expect(mapping.Properties!.BatchSize).toBe(SENDER_BATCH_SIZE);
      expect(mapping.Properties!.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(mapping.Properties!.ScalingConfig).toEqual({ MaximumConcurrency: SENDER_MAX_CONCURRENCY });
      expect(JSON.stringify(mapping.Properties!.EventSourceArn)).toContain("SendQueue");
    });

    it("writes the table and sends through SES only", () => {
      const a = actions();
      expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]));
      expect(a.filter((x) => x.startsWith("ses:")).sort()).toEqual(["ses:SendEmail", "ses:SendRawEmail"]);
      expect(a).not.toContain("dynamodb:Scan");
    });

    it("may dead-letter a poison message but never enqueue mail", () => {
      const fn = app.Api.toJSON().Resources[senderId()] as Resource;
      const sends = roleStatements(app.Api, senderId()).filter((s) => [s.Action].flat().some(canSendToQueue));
      const targets = sends.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatch(/ExportsOutputFnGetAttSendDeadLetterQueue\w*Arn/);
      expect(fn.Properties!.Environment.Variables.SEND_QUEUE_URL).toBeUndefined();
      expect(fn.Properties!.Environment.Variables.SEND_DLQ_URL).toBeDefined();
    });

    it("scopes ses:Send* to the identity and the two configuration sets", () => {
      const ses = roleStatements(app.Api, senderId()).filter((s) => [s.Action].flat().some((a: string) => a.startsWith("ses:")));
      for (const s of ses) {
        const resources = [s.Resource].flat();
        expect(resources).not.toContain("*");
        expect(resources).toHaveLength(3);
        // Names cross from the Mail stack as imports, e.g. {"Fn::ImportValue": "…ExportsOutputRefIdentity…"}.
        const arns = resources.map((r: unknown) => JSON.stringify(r));
        expect(arns.filter((a) => /:identity\/".*ExportsOutputRefIdentity/.test(a))).toHaveLength(1);
        expect(arns.filter((a) => /:configuration-set\/".*ExportsOutputRefConfigurationSet/.test(a))).toHaveLength(1);
        expect(arns.filter((a) => /:configuration-set\/".*ExportsOutputRefTrackingConfigurationSet/.test(a))).toHaveLength(1);
      }
    });
  });

  it("outputs the API URL", () => {
    expect(Object.keys(app.Api.toJSON().Outputs ?? {})).toContain("ApiUrl");
  });
});
