import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTENT_EVENT_TYPES, CONTENT_SOURCE } from "../../packages/core/src/content/schema";
import { SES_SOURCE } from "../../packages/core/src/feedback/ses-event";
import { AUDIENCES, ROUTES, audienceEntry, handlerPath, routeKey, type Audience, type RouteSpec } from "../../packages/functions/src/routes";
import { Api, highestTableAccess } from "../../stacks/api";
import { Events } from "../../stacks/events";
import { PIPELINE_HANDLERS } from "../../stacks/handlers";
import { Mail } from "../../stacks/mail";
import {
  CONTENT_RETRY_ATTEMPTS,
  DIGEST_SCHEDULES,
  PLANNER_MAX_CONCURRENCY,
  Pipeline,
  SENDER_BATCH_SIZE,
  SENDER_MAX_CONCURRENCY,
} from "../../stacks/pipeline";
import { RETENTION_SCHEDULE, RETENTION_TIMEOUT_MINUTES, retentionEnvironment } from "../../stacks/retention";
import { PLAN_MAX_RECEIVE_COUNT, SEND_MAX_RECEIVE_COUNT, SIGNUP_MAX_RECEIVE_COUNT, Storage } from "../../stacks/storage";
import { SIGNUP_MAX_CONCURRENCY } from "../../stacks/sizes";
import { SECRET_CANARIES, SYNTH_TIMEOUT, synthesized, synthesizedStages, type Stage } from "./synthesized";

/**
 * Offline synthesis of the whole app from sst.config.ts, as `sst deploy` would build it, but without
 * AWS: NODE_ENV=test keeps SST from looking up the bootstrap stack. SST bundles every function with
 * esbuild during the synth of the development stage, so each stage is synthesized once and shared by
 * every stack test file (./synthesized.ts).
 */

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };
const STACKS = { Storage, Mail, Events, Api, Pipeline };
type Templates = Record<keyof typeof STACKS, Template>;

/** The templates of the app's stacks for a stage, from the synthesis every stack test file shares. */
async function synthesize(stage: Stage): Promise<Templates> {
  const synth = await synthesized(stage);
  if (stage === "test") assetDir = synth.outdir;
  return Object.fromEntries(Object.keys(STACKS).map((name) => [name, synth.template(name)])) as Templates;
}
/** The cloud assembly of the development stage, with the bundled functions' assets. */
let assetDir: string;

const resources = (t: Template, type: string): [string, Resource][] =>
  Object.entries(t.findResources(type) as Record<string, Resource>);
const resource = (t: Template, id: string) => t.toJSON().Resources[id] as Resource;

const only = <T>(items: T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  return items[0]!;
};

/** The logical id of the one resource of a type whose id is `name` plus CDK's 8-character hash. */
const logicalId = (t: Template, type: string, name: string): string =>
  only(
    Object.keys(t.findResources(type)).filter((id) => new RegExp(`^${name}[0-9A-F]{8}$`).test(id)),
    `${type} ${name}`,
  );

/** Whether a value refers (through a cross-stack import) to the ARN of resource `id` of another stack. */
const isArnOf = (value: unknown, id: string) => new RegExp(`ExportsOutputFnGetAtt${id}Arn`).test(JSON.stringify(value));
/** Whether a value refers (through a cross-stack import) to resource `id` of another stack (Ref: a name or queue URL). */
const isRefOf = (value: unknown, id: string) => new RegExp(`ExportsOutputRef${id}`).test(JSON.stringify(value));

/** The Allow statements attached to a role (inline and AWS::IAM::Policy). */
function statementsOfRole(t: Template, roleId: string): any[] {
  const statements: any[] = [];
  for (const [, policy] of resources(t, "AWS::IAM::Policy")) {
    if ((policy.Properties!.Roles as any[]).some((r) => r.Ref === roleId)) statements.push(...policy.Properties!.PolicyDocument.Statement);
  }
  for (const p of resource(t, roleId).Properties!.Policies ?? []) statements.push(...p.PolicyDocument.Statement);
  return statements.filter((s) => s.Effect === "Allow");
}

/** The Allow statements attached to a function's role. */
const roleStatements = (t: Template, functionId: string): any[] => statementsOfRole(t, resource(t, functionId).Properties!.Role["Fn::GetAtt"][0]);

const actionsOf = (s: any): string[] => [s.Action].flat();
const resourcesOf = (s: any): unknown[] => [s.Resource].flat();

/** The policy actions attached to a function's role, as one flat list. */
const roleActions = (t: Template, functionId: string): string[] => roleStatements(t, functionId).flatMap(actionsOf);

/** Every resource a function's role may use one of `actions` on. */
const resourcesFor = (t: Template, functionId: string, matches: (action: string) => boolean): unknown[] =>
  roleStatements(t, functionId)
    .filter((s) => actionsOf(s).some(matches))
    .flatMap(resourcesOf);

/** Logical id of the Lambda function behind an HTTP route, followed from route to integration to function. */
function routeFunctionId(t: Template, route: RouteSpec): string {
  const routeKey = `${route.method} ${route.path}`;
  const [, r] = only(
    resources(t, "AWS::ApiGatewayV2::Route").filter(([, r]) => r.Properties!.RouteKey === routeKey),
    `route ${routeKey}`,
  );
  const target: any[] = r.Properties!.Target["Fn::Join"][1];
  const integrationId: string = target.find((p) => typeof p === "object" && p.Ref).Ref;
  return resource(t, integrationId).Properties!.IntegrationUri["Fn::GetAtt"][0];
}

/** Our functions are the SST ones (they carry SST_APP); CDK's and SST's custom-resource handlers are not. */
const appFunctions = (t: Template) => resources(t, "AWS::Lambda::Function").filter(([, f]) => f.Properties?.Environment?.Variables?.SST_APP);
const allAppFunctions = (ts: Templates) => Object.values(ts).flatMap(appFunctions);

/** The logical id of the pipeline function for a handler file, by the handler it runs. */
const pipelineFunctionId = (handler: string) =>
  only(
    appFunctions(app.Pipeline).filter(([, f]) => f.Properties!.Handler === handlerPath(handler)),
    `function for ${handler}`,
  )[0];
const envOf = (t: Template, functionId: string): Record<string, unknown> => resource(t, functionId).Properties!.Environment.Variables;

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
const canSendToQueue = (a: string) => a === "*" || a === "sqs:*" || a === "sqs:SendMessage" || a === "sqs:SendMessageBatch";
const canPutEvents = (a: string) => a === "*" || a === "events:*" || a === "events:PutEvents";

let app: Templates;


// Resource ids in the stateful stacks that functions, rules and schedules refer to.
let ids: { sendQueue: string; sendDlq: string; signUpQueue: string; signUpDlq: string; planQueue: string; planDlq: string; contentDlq: string; feedbackDlq: string; bus: string };

beforeAll(async () => {
  await synthesizedStages("test", "prod");
  app = await synthesize("test");
  ids = {
    sendQueue: logicalId(app.Storage, "AWS::SQS::Queue", "SendQueue"),
    sendDlq: logicalId(app.Storage, "AWS::SQS::Queue", "SendDeadLetterQueue"),
    signUpQueue: logicalId(app.Storage, "AWS::SQS::Queue", "SignUpQueue"),
    signUpDlq: logicalId(app.Storage, "AWS::SQS::Queue", "SignUpDeadLetterQueue"),
    planQueue: logicalId(app.Storage, "AWS::SQS::Queue", "PlanQueue"),
    planDlq: logicalId(app.Storage, "AWS::SQS::Queue", "PlanDeadLetterQueue"),
    contentDlq: logicalId(app.Storage, "AWS::SQS::Queue", "ContentDeadLetterQueue"),
    feedbackDlq: logicalId(app.Storage, "AWS::SQS::Queue", "FeedbackDeadLetterQueue"),
    bus: only(Object.keys(app.Events.findResources("AWS::Events::EventBus")), "one bus"),
  };
}, SYNTH_TIMEOUT);

describe("Storage", () => {
  const table = () => only(resources(app.Storage, "AWS::DynamoDB::Table"), "one table")[1].Properties!;
  const queue = (id: string) => resource(app.Storage, id).Properties!;

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

  it("drains poison messages from the send, sign-up and plan queues to their own dead-letter queues", () => {
    for (const [work, dlq, maxReceiveCount] of [
      [ids.sendQueue, ids.sendDlq, SEND_MAX_RECEIVE_COUNT],
      [ids.signUpQueue, ids.signUpDlq, SIGNUP_MAX_RECEIVE_COUNT],
      [ids.planQueue, ids.planDlq, PLAN_MAX_RECEIVE_COUNT],
    ] as const) {
      expect(queue(work).RedrivePolicy, work).toEqual({ deadLetterTargetArn: { "Fn::GetAtt": [dlq, "Arn"] }, maxReceiveCount });
    }
    const redriven = resources(app.Storage, "AWS::SQS::Queue").filter(([, q]) => q.Properties!.RedrivePolicy);
    expect(redriven.map(([id]) => id).sort()).toEqual([ids.planQueue, ids.sendQueue, ids.signUpQueue].sort());
  });

  it("keeps dead letters for 14 days, and the content and feedback DLQs are plain queues", () => {
    for (const id of [ids.sendDlq, ids.signUpDlq, ids.planDlq, ids.contentDlq, ids.feedbackDlq]) {
      expect(queue(id).MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
      expect(queue(id).RedrivePolicy, id).toBeUndefined();
    }
  });

  it("checks the retention settings at deploy: a bad one fails the deploy, set ones reach the functions", () => {
    expect(() => retentionEnvironment({ RETENTION_DEAD_LETTER_DAYS: "15" })).toThrow(/RETENTION_DEAD_LETTER_DAYS/);
    expect(() => retentionEnvironment({ RETENTION_UNSUBSCRIBED_DAYS: "soon" })).toThrow(/RETENTION_UNSUBSCRIBED_DAYS/);
    expect(retentionEnvironment({ RETENTION_DELIVERY_MONTHS: "12", OTHER: "x" })).toEqual({ RETENTION_DELIVERY_MONTHS: "12" });
  });

  it("refuses unencrypted transport on every queue", () => {
    for (const [id] of resources(app.Storage, "AWS::SQS::Queue")) {
      const policy = only(
        resources(app.Storage, "AWS::SQS::QueuePolicy").filter(([, p]) => (p.Properties!.Queues as any[]).some((q) => q.Ref === id)),
        `policy of ${id}`,
      )[1];
      expect(policy.Properties!.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  it("lets only rules on the app's bus dead-letter into the content DLQ", () => {
    const policy = only(
      resources(app.Storage, "AWS::SQS::QueuePolicy").filter(([, p]) => (p.Properties!.Queues as any[]).some((q) => q.Ref === ids.contentDlq)),
      "content DLQ policy",
    )[1];
    const allows = (policy.Properties!.PolicyDocument.Statement as any[]).filter((s) => s.Effect === "Allow");
    const allow = only(allows, "one Allow statement");
    expect(allow.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(allow.Action).toBe("sqs:SendMessage");
    // The bus is named <stage>-<app>-Bus; the rule lives in another stack, so its ARN is matched by pattern.
    expect(JSON.stringify(allow.Condition.ArnLike["aws:SourceArn"])).toContain(":events:eu-north-1:123456789012:rule/test-mission-mail-Bus/*");
    // That name must be the real bus's name.
    expect(resource(app.Events, ids.bus).Properties!.Name).toBe("test-mission-mail-Bus");
  });

  it("destroys stateful resources on a non-production stage", () => {
    expect(only(resources(app.Storage, "AWS::DynamoDB::Table"), "table")[1].DeletionPolicy).toBe("Delete");
    expect(table().DeletionProtectionEnabled).toBeFalsy();
  });
});

describe("Storage on prod", () => {
  let prod: Templates;
  beforeAll(async () => {
    prod = await synthesize("prod");
  }, SYNTH_TIMEOUT);

  it("retains and delete-protects the table and retains the queues", () => {
    const [, t] = only(resources(prod.Storage, "AWS::DynamoDB::Table"), "table");
    expect(t.DeletionPolicy).toBe("Retain");
    expect(t.Properties!.DeletionProtectionEnabled).toBe(true);
    const queues = resources(prod.Storage, "AWS::SQS::Queue");
    expect(queues).toHaveLength(8);
    for (const [id, q] of queues) expect(q.DeletionPolicy, id).toBe("Retain");
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
    expect(sets.map(([, s]) => s.Properties!.Name).sort()).toEqual(["mission-mail-test", "mission-mail-test-alerts", "mission-mail-test-alerts-tracking", "mission-mail-test-tracking"]);
    for (const [, s] of sets) expect(s.Properties!.ReputationOptions).toEqual({ ReputationMetricsEnabled: true });

    const destinations = resources(app.Mail, "AWS::SES::ConfigurationSetEventDestination");
    const eventsOf = (name: string) =>
      only(
        destinations.filter(([, d]) => d.Properties!.ConfigurationSetName.Ref && nameOf(d.Properties!.ConfigurationSetName.Ref) === name),
        `destination of ${name}`,
      )[1].Properties!.EventDestination.MatchingEventTypes as string[];
    const nameOf = (id: string) => resource(app.Mail, id).Properties!.Name;

    expect(eventsOf("mission-mail-test")).not.toContain("open");
    expect(eventsOf("mission-mail-test")).not.toContain("click");
    expect(eventsOf("mission-mail-test-tracking")).toEqual(expect.arrayContaining(["open", "click"]));
    expect(eventsOf("mission-mail-test-alerts")).not.toContain("open");
    expect(eventsOf("mission-mail-test-alerts-tracking")).toEqual(expect.arrayContaining(["open", "click"]));
  });

  it("gives up on immediate alerts SES cannot deliver within 6 hours, and only on alerts", () => {
    const sets = resources(app.Mail, "AWS::SES::ConfigurationSet");
    const maxOf = (name: string) => only(sets.filter(([, s]) => s.Properties!.Name === name), name)[1].Properties!.DeliveryOptions?.MaxDeliverySeconds;
    expect(maxOf("mission-mail-test-alerts")).toBe(21600);
    expect(maxOf("mission-mail-test-alerts-tracking")).toBe(21600);
    expect(maxOf("mission-mail-test")).toBeUndefined();
    expect(maxOf("mission-mail-test-tracking")).toBeUndefined();
  });
});

describe("every function", () => {
  it("runs on nodejs22.x, arm64, with one month of logs", () => {
    const fns = allAppFunctions(app);
    expect(fns.length).toBe(AUDIENCES.length + Object.keys(PIPELINE_HANDLERS).length);
    for (const [id, f] of fns) {
      expect(f.Properties!.Runtime, id).toBe("nodejs22.x");
      expect(f.Properties!.Architectures, id).toEqual(["arm64"]);
      expect(f.Properties!.Environment.Variables.MODE, id).toBe("aws");
    }
    for (const t of [app.Api, app.Pipeline]) {
      const retentions = resources(t, "Custom::LogRetention");
      expect(retentions).toHaveLength(appFunctions(t).length);
      for (const [id, r] of retentions) expect(r.Properties!.RetentionInDays, id).toBe(30);
    }
  });

  it("gets the configuration the code requires, and the three secrets it parses", () => {
    for (const [id, f] of allAppFunctions(app)) {
      const env = f.Properties!.Environment.Variables;
      for (const name of ["TABLE_NAME", "PUBLIC_URL", "MAIL_FROM", "UNSUBSCRIBE_MAILTO", "CONFIGURATION_SET", "CONFIGURATION_SET_TRACKING"]) {
        expect(env[name], `${id} ${name}`).toBeDefined();
      }
    }
  });

  it("links emails to the API when no PUBLIC_URL is set, and names the sender and unsubscribe address", () => {
    const httpApiId = only(Object.keys(app.Api.findResources("AWS::ApiGatewayV2::Api")), "one HTTP API");
    for (const [id, f] of allAppFunctions(app)) {
      const env = f.Properties!.Environment.Variables;
      // Route functions refer to the API directly; pipeline functions through the Api stack's export.
      expect(JSON.stringify(env.PUBLIC_URL), id).toMatch(new RegExp(`"${httpApiId}"|ExportsOutputFnGetAtt${httpApiId}ApiEndpoint`));
      expect(env.MAIL_FROM, id).toBe("Missions <news@missions.example.org>");
      expect(env.UNSUBSCRIBE_MAILTO, id).toBe("unsubscribe@missions.example.org");
    }
  });

  it("never has STAFF_TOKEN: the staff shortcut is local only", () => {
    for (const [id, f] of allAppFunctions(app)) {
      expect(Object.keys(f.Properties!.Environment.Variables).filter((k) => k.includes("STAFF_TOKEN")), id).toEqual([]);
    }
  });

  it("carries no secret values: secrets are fetched from SSM at run time", () => {
    for (const [id, f] of allAppFunctions(app)) {
      const env = f.Properties!.Environment.Variables as Record<string, unknown>;
      for (const name of Object.keys(SECRET_CANARIES)) expect(env[name], `${id} ${name}`).toBeUndefined();
      for (const [name, value] of Object.entries(env)) {
        if (name.startsWith("SST_Secret_value_")) expect(value, `${id} ${name}`).toBe("__FETCH_FROM_SSM__");
      }
    }
    for (const [stack, t] of Object.entries(app)) {
      const json = JSON.stringify(t.toJSON());
      for (const canary of Object.values(SECRET_CANARIES)) expect(json.includes(canary), `${stack} contains a secret value`).toBe(false);
    }
  });

  it("may never Scan the table or manage it", () => {
    for (const t of [app.Api, app.Pipeline]) {
      for (const [id] of appFunctions(t)) {
        const a = roleActions(t, id);
        expect(a, id).not.toContain("dynamodb:Scan");
        expect(a, id).not.toContain("dynamodb:DeleteTable");
        expect(a, id).not.toContain("dynamodb:*");
        expect(a, id).not.toContain("*");
      }
    }
  });
});

describe("Api", () => {
  const routesOf = (audience: Audience) => ROUTES.filter((r) => r.audience === audience);
  /** The logical id of an audience's function: the one function all of its routes are attached to. */
  const audienceFunctionId = (audience: Audience) => only([...new Set(routesOf(audience).map((r) => routeFunctionId(app.Api, r)))], `the ${audience} function`);
  /** The queues a function may send to, as Storage logical ids. */
  const sendsTo = (functionId: string) => resourcesFor(app.Api, functionId, canSendToQueue).map((r) => Object.values(ids).find((id) => isArnOf(r, id)) ?? JSON.stringify(r));

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))("routes %s to its audience's function", (_key, route) => {
    const fn = resource(app.Api, routeFunctionId(app.Api, route));
    expect(fn.Type).toBe("AWS::Lambda::Function");
    expect(fn.Properties!.Environment.Variables.SST_APP).toBe("mission-mail");
    expect(fn.Properties!.Handler).toBe(handlerPath(audienceEntry(route.audience)));
  });

  it("has exactly one function per audience, and every route of an audience is attached to it", () => {
    expect(AUDIENCES).toEqual(["public", "subscriber", "webhook", "staff"]);
    for (const audience of AUDIENCES) expect(routesOf(audience).length, audience).toBeGreaterThan(0);
    const fnIds = AUDIENCES.map(audienceFunctionId);
    expect(new Set(fnIds).size).toBe(AUDIENCES.length);
    expect(appFunctions(app.Api).map(([id]) => id).sort()).toEqual([...fnIds].sort());
    expect(fnIds.map((id) => id.replace(/[0-9A-F]{8}$/, ""))).toEqual(["PublicHttp", "SubscriberHttp", "WebhookHttp", "StaffHttp"]);
  });

  it("lets API Gateway invoke each function for exactly its own routes", () => {
    const permissions = resources(app.Api, "AWS::Lambda::Permission").filter(([, p]) => p.Properties!.Principal === "apigateway.amazonaws.com");
    for (const audience of AUDIENCES) {
      const mine = permissions.filter(([, p]) => JSON.stringify(p.Properties!.FunctionName).includes(`"${audienceFunctionId(audience)}"`));
      expect(mine.length, audience).toBe(routesOf(audience).length);
    }
  });

  describe("the public function", () => {
    const fnId = () => audienceFunctionId("public");

    it("serves the public pages, feeds, scripts, consent text, missions API and cookie routes, and never the sign-up", () => {
      const keys = routesOf("public").map(routeKey);
      expect(keys).toEqual(expect.arrayContaining(["GET /missions", "GET /missions/{id}", "GET /missions/{id}/feed.atom", "GET /api/missions", "GET /api/consent", "GET /cookies", "POST /cookies", "GET /assets/{file}"]));
      expect(keys).not.toContain("POST /subscribe");
      expect(keys).not.toContain("POST /api/subscriptions");
    });

    it("reads the table and may not write it", () => {
      const a = roleActions(app.Api, fnId());
      expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query"]));
      expect(a.filter(isWrite)).toEqual([]);
      expect(a).not.toContain("dynamodb:ConditionCheckItem");
    });

    it("has no queue, no bus, no scheduler, no SES and no staff configuration", () => {
      const a = roleActions(app.Api, fnId());
      expect(a.filter((x) => /^(sqs|events|scheduler|iam|ses):/.test(x))).toEqual([]);
      const env = envOf(app.Api, fnId());
      for (const name of ["SEND_QUEUE_URL", "PLAN_QUEUE_URL", "EVENT_BUS_NAME", "ANNOUNCEMENT_SCHEDULER_ROLE_ARN", "STAFF_ISSUER", "STAFF_CLIENT_ID", "SST_Secret_value_WEBHOOK_SECRET"]) {
        expect(env[name], name).toBeUndefined();
      }
    });
  });

  describe("the subscriber function", () => {
    const fnId = () => audienceFunctionId("subscriber");

    it("serves the sign-up (API and form), confirm, unsubscribe, preferences and data rights", () => {
      expect(routesOf("subscriber").map(routeKey)).toEqual(
        expect.arrayContaining(["POST /subscribe", "POST /api/subscriptions", "POST /api/subscriptions/confirm", "POST /unsubscribe", "PUT /api/preferences", "POST /api/me/requests", "POST /api/me/erase"]),
      );
    });

    it("writes the table and sends to the send queue and the sign-up queue only; no bus, scheduler or SES", () => {
      expect(roleActions(app.Api, fnId())).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]));
      expect(new Set(sendsTo(fnId()))).toEqual(new Set([ids.sendQueue, ids.signUpQueue]));
      // Only the sign-up routes put requests on the sign-up queue; they no longer enqueue mail themselves.
      expect(routesOf("subscriber").filter((r) => r.signUpQueue).map(routeKey).sort()).toEqual(["POST /api/subscriptions", "POST /subscribe"]);
      expect(routesOf("subscriber").filter((r) => r.signUpQueue && r.queue)).toEqual([]);
      expect(roleActions(app.Api, fnId()).filter((x) => /^(events|scheduler|iam|ses):/.test(x))).toEqual([]);
    });
  });

  describe("the webhook function", () => {
    const fnId = () => audienceFunctionId("webhook");

    it("serves the content webhook only", () => {
      expect(routesOf("webhook").map(routeKey)).toEqual(["POST /webhooks/content"]);
    });

    it("may only put events on the app's bus and read its secrets, the webhook secret among them", () => {
      const statements = roleStatements(app.Api, fnId()).filter((s) => !actionsOf(s).every((a) => a.startsWith("xray:")));
      expect([...new Set(statements.flatMap(actionsOf))].sort()).toEqual(["events:PutEvents", "ssm:GetParameters"]);
      const bus = statements.filter((s) => actionsOf(s).includes("events:PutEvents"));
      expect(bus.flatMap(resourcesOf)).toHaveLength(1);
      expect(isArnOf(bus.flatMap(resourcesOf)[0], ids.bus)).toBe(true);
      const env = envOf(app.Api, fnId());
      expect(isRefOf(env.EVENT_BUS_NAME, ids.bus)).toBe(true);
      expect(env.SST_Secret_value_WEBHOOK_SECRET).toBe("__FETCH_FROM_SSM__");
      const secrets = statements.filter((s) => actionsOf(s).includes("ssm:GetParameters")).flatMap(resourcesOf);
      expect(JSON.stringify(secrets)).toContain("/Secret/WEBHOOK_SECRET/value");
    });
  });

  describe("the staff function", () => {
    const fnId = () => audienceFunctionId("staff");

    it("serves the staff API and the console's page and sign-in callback", () => {
      const keys = routesOf("staff").map(routeKey);
      expect(keys).toEqual(expect.arrayContaining(["GET /staff", "GET /staff/callback"]));
      expect(keys.filter((k) => k.includes(" /api/staff/"))).toEqual(ROUTES.filter((r) => r.path.startsWith("/api/staff/")).map(routeKey));
    });

    it("may schedule announcements and pass the scheduler's role", () => {
      expect(roleActions(app.Api, fnId())).toEqual(expect.arrayContaining(["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "iam:PassRole"]));
    });

    it("ships MJML (previews and test sends) in a chunk loaded on demand, not in the code every cold start loads", () => {
      // The asset CDK staged for the function, as it would be uploaded: code splitting leaves chunks beside the entry.
      const asset = join(assetDir, `asset.${String(resource(app.Api, fnId()).Properties!.Code.S3Key).replace(/\.zip$/, "")}`);
      const dir = join(asset, "packages/functions/src/http");
      expect(existsSync(join(dir, "staff.mjs")), dir).toBe(true);
      const read = (file: string) => readFileSync(join(dir, file), "utf8");
      // MJML's components keep their class names in the bundle (keepNames); our own code has none of them.
      const mjml = readdirSync(dir).filter((f) => f.endsWith(".mjs") && read(f).includes("MjColumn"));
      expect(mjml.length).toBeGreaterThan(0);
      // The entry and every chunk it imports statically (`import … from "./chunk.mjs"`, not `import("./chunk.mjs")`).
      const atStart = new Set(["staff.mjs"]);
      for (const queue = ["staff.mjs"]; queue.length; ) {
        for (const [, chunk] of read(queue.shift()!).matchAll(/\bimport\s*(?:[\w*{][^"'();]*?from\s*)?["']\.\/([^"']+\.mjs)["']/g)) {
          if (!atStart.has(chunk!)) (atStart.add(chunk!), queue.push(chunk!));
        }
      }
      expect(atStart.size).toBeGreaterThan(1);
      for (const chunk of mjml) expect(atStart.has(chunk), chunk).toBe(false);
      const bytes = (files: Iterable<string>) => [...files].reduce((t, f) => t + statSync(join(dir, f)).size, 0);
      expect(bytes(atStart)).toBeLessThan(2 * 1024 * 1024);
      expect(bytes(mjml)).toBeGreaterThan(2 * 1024 * 1024);
    });
  });

  describe.each(AUDIENCES.map((a) => [a] as const))("least privilege for the %s function: the union of its routes' needs", (audience) => {
    const fnId = () => audienceFunctionId(audience);
    const routes = () => routesOf(audience);
    const needs = (flag: "queue" | "signUpQueue" | "planQueue" | "bus" | "webhookSecret" | "mail" | "scheduler" | "deadLetters") => routes().some((r) => r[flag]);
    const actions = () => roleActions(app.Api, fnId());
    const env = () => envOf(app.Api, fnId());

    it("has the highest table access of its routes and nothing more", () => {
      const access = highestTableAccess(routes());
      const a = actions();
      if (access === "none") expect(a.filter(isDynamo)).toEqual([]);
      if (access === "read") {
        expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query"]));
        expect(a.filter(isWrite)).toEqual([]);
      }
      if (access === "write") expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]));
    });

    it("sends to the queues its routes use, and no other", () => {
      const targets = resourcesFor(app.Api, fnId(), canSendToQueue);
      const expected = [...(needs("queue") ? [ids.sendQueue] : []), ...(needs("signUpQueue") ? [ids.signUpQueue] : []), ...(needs("planQueue") ? [ids.planQueue] : [])];
      expect(targets).toHaveLength(expected.length);
      for (const queue of expected) expect(targets.some((r) => isArnOf(r, queue)), queue).toBe(true);
      expect(env().SEND_QUEUE_URL !== undefined).toBe(needs("queue"));
      expect(env().PLAN_QUEUE_URL !== undefined).toBe(needs("planQueue"));
      expect(env().SIGNUP_QUEUE_URL !== undefined).toBe(needs("signUpQueue"));
      if (needs("signUpQueue")) expect(isRefOf(env().SIGNUP_QUEUE_URL, ids.signUpQueue)).toBe(true);
      if (needs("queue")) expect(isRefOf(env().SEND_QUEUE_URL, ids.sendQueue)).toBe(true);
      if (needs("planQueue")) expect(isRefOf(env().PLAN_QUEUE_URL, ids.planQueue)).toBe(true);
    });

    it("reads the depths of exactly the five dead-letter queues if a route does (the health view), and no message in them", () => {
      const dlqs = [ids.sendDlq, ids.signUpDlq, ids.planDlq, ids.contentDlq, ids.feedbackDlq];
      const canReadAttributes = (a: string) => a === "*" || a === "sqs:*" || a === "sqs:GetQueueAttributes";
      const targets = resourcesFor(app.Api, fnId(), canReadAttributes);
      const names = ["SEND_DLQ_URL", "SIGNUP_DLQ_URL", "PLAN_DLQ_URL", "CONTENT_DLQ_URL", "FEEDBACK_DLQ_URL"];
      expect(actions().filter((a) => /^sqs:(\*|Receive|Delete|Purge|ChangeMessage)/.test(a))).toEqual([]);
      if (!needs("deadLetters")) {
        expect(targets).toEqual([]);
        for (const name of names) expect(env()[name], name).toBeUndefined();
        return;
      }
      expect(dlqs).toHaveLength(5);
      expect(targets).toHaveLength(5);
      for (const dlq of dlqs) expect(targets.some((r) => isArnOf(r, dlq)), dlq).toBe(true);
      names.forEach((name, i) => expect(isRefOf(env()[name], dlqs[i]!), name).toBe(true));
    });

    it("may put events on the app's bus only if a route does", () => {
      const targets = resourcesFor(app.Api, fnId(), canPutEvents);
      if (!needs("bus")) {
        expect(targets).toEqual([]);
        expect(env().EVENT_BUS_NAME).toBeUndefined();
        return;
      }
      expect(actions().filter((a) => a.startsWith("events:"))).toEqual(["events:PutEvents"]);
      expect(targets).toHaveLength(1);
      expect(isArnOf(targets[0], ids.bus)).toBe(true);
      expect(isRefOf(env().EVENT_BUS_NAME, ids.bus)).toBe(true);
    });

    it("binds the webhook secret only if a route needs it", () => {
      expect(env().SST_Secret_value_WEBHOOK_SECRET !== undefined).toBe(needs("webhookSecret"));
    });

    it("may send email (test sends) only if a route does, through the identity and the plain configuration set only", () => {
      if (!needs("mail")) {
        expect(actions().filter((a) => a.startsWith("ses:"))).toEqual([]);
        return;
      }
      const ses = roleStatements(app.Api, fnId()).filter((s) => actionsOf(s).some((a) => a.startsWith("ses:")));
      expect(ses.flatMap(actionsOf)).toEqual(["ses:SendEmail"]);
      const arns = ses.flatMap(resourcesOf).map((r) => JSON.stringify(r));
      expect(arns).toHaveLength(2);
      expect(arns.filter((a) => /:identity\/".*ExportsOutputRefIdentity/.test(a))).toHaveLength(1);
      expect(arns.filter((a) => /:configuration-set\/".*ExportsOutputRefConfigurationSet/.test(a))).toHaveLength(1);
      expect(env().SEND_RATE_PER_SECOND).toBe("14");
    });

    it("may create and delete announcement schedules in their group and pass only the scheduler's role, only if a route schedules", () => {
      const scheduling = actions().filter((a) => a.startsWith("scheduler:") || a.startsWith("iam:"));
      if (!needs("scheduler")) {
        expect(scheduling).toEqual([]);
        expect(env().ANNOUNCEMENT_SCHEDULER_ROLE_ARN).toBeUndefined();
        return;
      }
      expect(scheduling.sort()).toEqual(["iam:PassRole", "scheduler:CreateSchedule", "scheduler:DeleteSchedule"]);
      const statements = roleStatements(app.Api, fnId());
      const create = statements.find((s) => actionsOf(s).includes("scheduler:CreateSchedule"))!;
      expect(JSON.stringify(resourcesOf(create))).toMatch(/:schedule\/.*announcement-\*/);
      const pass = statements.find((s) => actionsOf(s).includes("iam:PassRole"))!;
      expect(resourcesOf(pass)).toEqual([{ "Fn::GetAtt": [expect.stringMatching(/^AnnouncementSchedulerRole/), "Arn"] }]);
      expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } });
      const e = env();
      expect(e.ANNOUNCEMENT_SCHEDULER_ROLE_ARN).toEqual(resourcesOf(pass)[0]);
      expect(e.ANNOUNCEMENT_SCHEDULE_GROUP).toBeDefined();
      expect(isArnOf(e.PLAN_QUEUE_ARN, ids.planQueue)).toBe(true);
      expect(isArnOf(e.PLAN_DLQ_ARN, ids.planDlq)).toBe(true);
    });
  });

  it("outputs the API URL", () => {
    expect(Object.keys(app.Api.toJSON().Outputs ?? {})).toContain("ApiUrl");
  });

  it("has a group for one-off announcement schedules and a role that may only put jobs on the plan queue", () => {
    const [, group] = only(resources(app.Api, "AWS::Scheduler::ScheduleGroup"), "one schedule group");
    expect(group.Properties!.Name).toBe("test-mission-mail-announcements");
    expect(group.DeletionPolicy).toBe("Delete");
    const [roleId, role] = only(
      resources(app.Api, "AWS::IAM::Role").filter(([id]) => id.startsWith("AnnouncementSchedulerRole")),
      "the announcement scheduler role",
    );
    expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "scheduler.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }),
    ]);
    const statements = statementsOfRole(app.Api, roleId);
    expect(statements.flatMap(actionsOf)).toEqual(["sqs:SendMessage"]);
    const targets = statements.flatMap(resourcesOf);
    expect(targets).toHaveLength(2);
    expect(targets.some((r) => isArnOf(r, ids.planQueue))).toBe(true);
    expect(targets.some((r) => isArnOf(r, ids.planDlq))).toBe(true);
  });
});

describe("Pipeline", () => {
  const mappingOf = (functionId: string) =>
    only(
      resources(app.Pipeline, "AWS::Lambda::EventSourceMapping").filter(([, m]) => m.Properties!.FunctionName.Ref === functionId),
      `event source of ${functionId}`,
    )[1].Properties!;
  const timeoutOf = (functionId: string): number => resource(app.Pipeline, functionId).Properties!.Timeout;
  const visibilityOf = (queueId: string): number => resource(app.Storage, queueId).Properties!.VisibilityTimeout;
  /** The queues a pipeline function may send to, as Storage logical ids. */
  const sendsTo = (functionId: string) =>
    resourcesFor(app.Pipeline, functionId, canSendToQueue).map((r) => Object.values(ids).find((id) => isArnOf(r, id)) ?? JSON.stringify(r));

  describe("the content function", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.content);

    it("is the target of a rule for content events on the app's bus, with retries and a DLQ", () => {
      const [, rule] = only(
        resources(app.Pipeline, "AWS::Events::Rule").filter(([, r]) => r.Properties!.EventPattern && isRefOf(r.Properties!.EventBusName, ids.bus)),
        "one event-pattern rule on the app's bus",
      );
      expect(isRefOf(rule.Properties!.EventBusName, ids.bus)).toBe(true);
      expect(rule.Properties!.EventPattern).toEqual({ source: [CONTENT_SOURCE], "detail-type": [...CONTENT_EVENT_TYPES] });
      expect(rule.Properties!.EventPattern["detail-type"].sort()).toEqual(["content.published", "content.unpublished", "content.updated"]);
      const target = only(rule.Properties!.Targets as any[], "one target");
      expect(target.Arn).toEqual({ "Fn::GetAtt": [fnId(), "Arn"] });
      expect(target.RetryPolicy.MaximumRetryAttempts).toBe(CONTENT_RETRY_ATTEMPTS);
      expect(isArnOf(target.DeadLetterConfig.Arn, ids.contentDlq)).toBe(true);
    });

    it("retries a failed invocation twice, then dead-letters it to the content DLQ", () => {
      const [, config] = only(
        resources(app.Pipeline, "AWS::Lambda::EventInvokeConfig").filter(([, c]) => c.Properties!.FunctionName.Ref === fnId()),
        "async invoke config",
      );
      expect(config.Properties!.MaximumRetryAttempts).toBe(2);
      expect(isArnOf(config.Properties!.DestinationConfig.OnFailure.Destination, ids.contentDlq)).toBe(true);
    });

    it("has room for MJML: 1024 MB and 5 minutes", () => {
      const f = resource(app.Pipeline, fnId()).Properties!;
      expect(f.MemorySize).toBe(1024);
      expect(f.Timeout).toBe(300);
    });

    it("writes the table and sends to the plan queue, the send queue and the content DLQ only", () => {
      expect(roleActions(app.Pipeline, fnId())).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]));
      expect(new Set(sendsTo(fnId()))).toEqual(new Set([ids.planQueue, ids.sendQueue, ids.contentDlq]));
      const env = envOf(app.Pipeline, fnId());
      expect(isRefOf(env.PLAN_QUEUE_URL, ids.planQueue)).toBe(true);
      expect(isRefOf(env.SEND_QUEUE_URL, ids.sendQueue)).toBe(true);
      expect(isRefOf(env.CONTENT_DLQ_URL, ids.contentDlq)).toBe(true);
      expect(roleActions(app.Pipeline, fnId()).filter((a) => a.startsWith("ses:") || a.startsWith("events:"))).toEqual([]);
    });
  });

  describe("the feedback function", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.feedback);
    const rule = () =>
      only(
        resources(app.Pipeline, "AWS::Events::Rule").filter(([, r]) => r.Properties!.EventPattern?.source?.[0] === SES_SOURCE),
        "one SES feedback rule",
      )[1].Properties!;

    it("is the target of a rule for SES events on the account's default bus, where SES publishes", () => {
      expect(rule().EventBusName).toBe("default");
      expect(rule().EventPattern["detail-type"]).toEqual(expect.arrayContaining(["Email Bounced", "Email Complaint Received", "Email Delivered", "Email Rejected", "Email Rendering Failed", "Email Delivery Delayed"]));
      const target = only(rule().Targets as any[], "one target");
      expect(target.Arn).toEqual({ "Fn::GetAtt": [fnId(), "Arn"] });
      expect(isArnOf(target.DeadLetterConfig.Arn, ids.feedbackDlq)).toBe(true);
    });

    it("lets exactly that rule dead-letter into the feedback DLQ", () => {
      const policy = only(
        resources(app.Storage, "AWS::SQS::QueuePolicy").filter(([, p]) => (p.Properties!.Queues as any[]).some((q) => q.Ref === ids.feedbackDlq)),
        "feedback DLQ policy",
      )[1];
      const allow = only((policy.Properties!.PolicyDocument.Statement as any[]).filter((x) => x.Effect === "Allow"), "one Allow statement");
      expect(allow.Principal).toEqual({ Service: "events.amazonaws.com" });
      expect(JSON.stringify(allow.Condition.ArnEquals["aws:SourceArn"])).toContain(`:rule/${rule().Name}"`);
    });

    it("all four configuration sets publish their events to the default bus", () => {
      const destinations = resources(app.Mail, "AWS::SES::ConfigurationSetEventDestination").map(([, d]) => d.Properties!.EventDestination);
      expect(destinations).toHaveLength(4);
      for (const d of destinations) {
        expect(JSON.stringify(d.EventBridgeDestination)).toContain(":event-bus/default");
        expect(d.MatchingEventTypes).toEqual(expect.arrayContaining(["bounce", "complaint", "delivery", "reject", "renderingFailure", "deliveryDelay"]));
        // Send events change nothing: one per recipient, they would only invoke the feedback function.
        expect(d.MatchingEventTypes).not.toContain("send");
      }
    });

    it("writes the table and sends to its DLQ only; it never sends email", () => {
      expect(roleActions(app.Pipeline, fnId())).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"]));
      expect(new Set(sendsTo(fnId()))).toEqual(new Set([ids.feedbackDlq]));
      expect(isRefOf(envOf(app.Pipeline, fnId()).FEEDBACK_DLQ_URL, ids.feedbackDlq)).toBe(true);
      expect(roleActions(app.Pipeline, fnId()).filter((a) => a.startsWith("ses:") || a.startsWith("events:"))).toEqual([]);
    });
  });

  describe("the planner", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.plan);

    it("consumes the plan queue one job at a time, with partial failures", () => {
      const mapping = mappingOf(fnId());
      expect(isArnOf(mapping.EventSourceArn, ids.planQueue)).toBe(true);
      expect(mapping.BatchSize).toBe(1);
      expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: PLANNER_MAX_CONCURRENCY });
    });

    it("has room for a 100k-subscriber digest: 1536 MB and 10 minutes, and the queue outlasts it 6x", () => {
      const f = resource(app.Pipeline, fnId()).Properties!;
      expect(f.MemorySize).toBe(1536);
      expect(f.Timeout).toBe(600);
      expect(visibilityOf(ids.planQueue)).toBeGreaterThanOrEqual(6 * timeoutOf(fnId()));
    });

    it("writes the table and sends to the send queue and the plan DLQ only", () => {
      expect(roleActions(app.Pipeline, fnId())).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]));
      expect(new Set(sendsTo(fnId()))).toEqual(new Set([ids.sendQueue, ids.planDlq]));
      const env = envOf(app.Pipeline, fnId());
      expect(isRefOf(env.SEND_QUEUE_URL, ids.sendQueue)).toBe(true);
      expect(isRefOf(env.PLAN_DLQ_URL, ids.planDlq)).toBe(true);
      expect(roleActions(app.Pipeline, fnId()).filter((a) => a.startsWith("ses:") || a.startsWith("events:"))).toEqual([]);
    });
  });

  describe("the sign-up worker", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.signUp);
    const env = () => envOf(app.Pipeline, fnId());

    it("consumes the sign-up queue in batches with partial failures and capped concurrency, outlasted 6x by its visibility", () => {
      const mapping = mappingOf(fnId());
      expect(isArnOf(mapping.EventSourceArn, ids.signUpQueue)).toBe(true);
      expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: SIGNUP_MAX_CONCURRENCY });
      expect(visibilityOf(ids.signUpQueue)).toBeGreaterThanOrEqual(6 * timeoutOf(fnId()));
    });

    it("writes the table and sends to the send queue and the sign-up DLQ only; no secrets, no SES, no bus", () => {
      expect(roleActions(app.Pipeline, fnId())).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"]));
      expect(new Set(sendsTo(fnId()))).toEqual(new Set([ids.sendQueue, ids.signUpDlq]));
      expect(isRefOf(env().SEND_QUEUE_URL, ids.sendQueue)).toBe(true);
      expect(isRefOf(env().SIGNUP_DLQ_URL, ids.signUpDlq)).toBe(true);
      expect(env().PLAN_QUEUE_URL).toBeUndefined();
      expect(Object.keys(env()).filter((k) => k.startsWith("SST_Secret_value_"))).toEqual([]);
      expect(roleActions(app.Pipeline, fnId()).filter((a) => /^(ses|events|ssm):/.test(a))).toEqual([]);
    });
  });

  describe("the sender", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.sender);
    const env = () => envOf(app.Pipeline, fnId());

    it("consumes the send queue in batches with partial failures and capped concurrency", () => {
      const mapping = mappingOf(fnId());
      expect(isArnOf(mapping.EventSourceArn, ids.sendQueue)).toBe(true);
      expect(mapping.BatchSize).toBe(SENDER_BATCH_SIZE);
      expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
      expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: SENDER_MAX_CONCURRENCY });
    });

    it("is outlasted 6x by the send queue's visibility, and its lease outlasts it", () => {
      expect(visibilityOf(ids.sendQueue)).toBeGreaterThanOrEqual(6 * timeoutOf(fnId()));
      expect(Number(env().SENDER_LEASE_SECONDS)).toBeGreaterThan(timeoutOf(fnId()));
    });

    it("paces at the SES quota (14 recipients a second unless set at deploy)", () => {
      expect(env().SEND_RATE_PER_SECOND).toBe("14");
    });

    it("writes the table and sends through SES only: SendEmail and SendBulkEmail", () => {
      const a = roleActions(app.Pipeline, fnId());
      expect(a).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]));
      expect(a.filter((x) => x.startsWith("ses:")).sort()).toEqual(["ses:SendBulkEmail", "ses:SendEmail"]);
    });

    it("may re-enqueue on the send queue (throttled batches) and dead-letter to the send DLQ, nothing else", () => {
      expect(new Set(sendsTo(fnId()))).toEqual(new Set([ids.sendQueue, ids.sendDlq]));
      expect(isRefOf(env().SEND_QUEUE_URL, ids.sendQueue)).toBe(true);
      expect(isRefOf(env().SEND_DLQ_URL, ids.sendDlq)).toBe(true);
      expect(env().PLAN_QUEUE_URL).toBeUndefined();
    });

    it("scopes ses:Send* to the identity and the four configuration sets", () => {
      const ses = roleStatements(app.Pipeline, fnId()).filter((s) => actionsOf(s).some((a) => a.startsWith("ses:")));
      expect(ses.length).toBeGreaterThan(0);
      for (const s of ses) {
        const arns = resourcesOf(s).map((r) => JSON.stringify(r));
        expect(arns).not.toContain('"*"');
        expect(arns).toHaveLength(5);
        // Names cross from the Mail stack as imports, e.g. {"Fn::ImportValue": "…ExportsOutputRefIdentity…"}.
        expect(arns.filter((a) => /:identity\/".*ExportsOutputRefIdentity/.test(a))).toHaveLength(1);
        for (const set of ["ConfigurationSet", "TrackingConfigurationSet", "AlertConfigurationSet", "AlertTrackingConfigurationSet"]) {
          expect(arns.filter((a) => new RegExp(`:configuration-set\\/".*ExportsOutputRef${set}[0-9A-F]`).test(a)), set).toHaveLength(1);
        }
      }
    });

    it("sends immediate alerts through the alerts' configuration sets and drops alerts older than SES would deliver", () => {
      expect(env().ALERT_MAX_DELIVERY_SECONDS).toBe("21600");
      expect(JSON.stringify(env().CONFIGURATION_SET_ALERTS)).toMatch(/AlertConfigurationSet/);
      expect(JSON.stringify(env().CONFIGURATION_SET_ALERTS_TRACKING)).toMatch(/AlertTrackingConfigurationSet/);
    });
  });

  describe("the sweeper", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.sweep);

    it("runs every minute", () => {
      const rules = resources(app.Pipeline, "AWS::Events::Rule").filter(([, r]) =>
        (r.Properties!.Targets as any[]).some((t) => JSON.stringify(t.Arn) === JSON.stringify({ "Fn::GetAtt": [fnId(), "Arn"] })),
      );
      expect(only(rules, "one rule for the sweeper")[1].Properties!.ScheduleExpression).toBe("rate(1 minute)");
    });

    it("writes the table and sends to the send queue only", () => {
      expect(roleActions(app.Pipeline, fnId())).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:UpdateItem"]));
      expect(sendsTo(fnId())).toEqual([ids.sendQueue]);
      expect(isRefOf(envOf(app.Pipeline, fnId()).SEND_QUEUE_URL, ids.sendQueue)).toBe(true);
    });
  });

  describe("the retention sweep", () => {
    const fnId = () => pipelineFunctionId(PIPELINE_HANDLERS.retention);

    it("runs once a day", () => {
      const rules = resources(app.Pipeline, "AWS::Events::Rule").filter(([, r]) =>
        (r.Properties!.Targets as any[]).some((t) => JSON.stringify(t.Arn) === JSON.stringify({ "Fn::GetAtt": [fnId(), "Arn"] })),
      );
      const rule = only(rules, "one rule for the retention sweep")[1].Properties!;
      expect(rule.ScheduleExpression).toBe(RETENTION_SCHEDULE);
      expect(rule.ScheduleExpression).toMatch(/^cron\(\d+ \d+ \* \* \? \*\)$/);
      expect(rule.State ?? "ENABLED").toBe("ENABLED");
    });

    it("reads and writes the table only, with the pepper and no queue, bus or mail", () => {
      const actions = roleActions(app.Pipeline, fnId());
      expect(actions).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]));
      expect(actions.filter((a) => /^(sqs|ses|events|scheduler|iam|dynamodb:Scan)/.test(a))).toEqual([]);
      expect(sendsTo(fnId())).toEqual([]);
      const env = envOf(app.Pipeline, fnId());
      expect(env.SST_Secret_value_ADDRESS_PEPPER).toBe("__FETCH_FROM_SSM__");
      expect(env.SST_Secret_value_TOKEN_KEYS).toBeUndefined();
      expect(resource(app.Pipeline, fnId()).Properties!.Timeout).toBe(RETENTION_TIMEOUT_MINUTES * 60);
    });
  });

  describe("the digest schedules", () => {
    const schedules = () => resources(app.Pipeline, "AWS::Scheduler::Schedule");

    it.each(Object.entries(DIGEST_SCHEDULES))("plan the %s digest at 08:00 Stockholm time on the plan queue", (cadence, expression) => {
      const [, schedule] = only(
        schedules().filter(([, s]) => JSON.parse(s.Properties!.Target.Input).cadence === cadence),
        `${cadence} schedule`,
      );
      const p = schedule.Properties!;
      expect(p.ScheduleExpression).toBe(expression);
      expect(p.ScheduleExpressionTimezone).toBe("Europe/Stockholm");
      expect(p.State).toBe("ENABLED");
      expect(p.FlexibleTimeWindow).toEqual({ Mode: "OFF" });
      expect(isArnOf(p.Target.Arn, ids.planQueue)).toBe(true);
      expect(JSON.parse(p.Target.Input)).toEqual({ kind: "plan-digest", cadence });
      expect(isArnOf(p.Target.DeadLetterConfig.Arn, ids.planDlq)).toBe(true);
      // The schedule's role may send to the plan queue (and its DLQ), nothing else.
      const roleId: string = p.Target.RoleArn["Fn::GetAtt"][0];
      const statements = statementsOfRole(app.Pipeline, roleId);
      expect(statements.flatMap(actionsOf).every((a) => a === "sqs:SendMessage")).toBe(true);
      const targets = statements.flatMap(resourcesOf);
      expect(targets.every((r) => isArnOf(r, ids.planQueue) || isArnOf(r, ids.planDlq))).toBe(true);
    });

    it("are exactly the daily, the weekly and the monthly one", () => {
      expect(schedules()).toHaveLength(3);
      expect(DIGEST_SCHEDULES).toEqual({ daily: "cron(0 8 * * ? *)", weekly: "cron(0 8 ? * MON *)", monthly: "cron(0 8 ? * MON#1 *)" });
    });
  });
});
