import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIENCES, ROUTES, isStaffRoute } from "../../packages/functions/src/routes";
import { PIPELINE_HANDLERS } from "../../stacks/handlers";
import { BOUNCE_RATE_ALARM_THRESHOLD, COMPLAINT_RATE_ALARM_THRESHOLD } from "../../stacks/monitoring";
import { DIGEST_SCHEDULES, SENDER_MAX_CONCURRENCY } from "../../stacks/pipeline";
import { DEFAULT_THROTTLE, ROUTE_THROTTLES } from "../../stacks/throttling";
import { ALARM_EMAIL, SYNTH_TIMEOUT, synthesizedStages, type StageSynth } from "./synthesized";

/**
 * The production properties of the whole app, read from the templates of a development stage and of
 * prod (with ALARM_EMAIL set), synthesized offline from sst.config.ts once for every stack test file
 * (./synthesized.ts).
 * Where a rule covers "every" queue, function, log group or policy, it is checked over every stack,
 * so a resource someone adds later is held to it too.
 */

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[]; Metadata?: any };
type Templates = Record<string, Record<string, Resource>>;

/** The resources of every stack of a stage, by short stack name (Storage, Api, …). */
const resourcesOf = (synth: StageSynth): Templates => Object.fromEntries(synth.stacks.map((s) => [s.name, (s.template.Resources ?? {}) as Record<string, Resource>]));

let dev: Templates;
let prod: Templates;
beforeAll(async () => {
  const [d, p] = await synthesizedStages("test", "prod");
  [dev, prod] = [resourcesOf(d), resourcesOf(p)];
}, SYNTH_TIMEOUT);

const ofType = (resources: Record<string, Resource>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** [stack, logical id, resource] for every resource of a type in the app. */
const everywhere = (t: Templates, type: string) => Object.entries(t).flatMap(([stack, resources]) => ofType(resources, type).map(([id, r]) => [stack, id, r] as const));
const only = <T>(items: T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  return items[0]!;
};
/** Whether a value refers to resource `id`, in its own stack or through a cross-stack export. */
const refersTo = (value: unknown, id: string) => {
  const json = JSON.stringify(value);
  return json.includes(`"${id}"`) || new RegExp(`ExportsOutput(Ref|FnGetAtt)${id}`).test(json);
};

const isDeadLetterQueueId = (id: string) => /DeadLetterQueue[0-9A-F]{8}$/.test(id);

describe("DynamoDB", () => {
  const table = (t: Templates) => only(ofType(t.Storage!, "AWS::DynamoDB::Table"), "one table")[1];

  it.each(["dev", "prod"])("keeps 35 days of point-in-time recovery and expires items on expiresAt (%s)", (which) => {
    const p = table(which === "dev" ? dev : prod).Properties!;
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });

  it("is retained and protected from deletion on prod", () => {
    const t = table(prod);
    expect(t.Properties!.DeletionProtectionEnabled).toBe(true);
    expect(t.DeletionPolicy).toBe("Retain");
    expect(t.UpdateReplacePolicy).toBe("Retain");
  });

  it("is destroyed with the stage elsewhere", () => {
    const t = table(dev);
    expect(t.Properties!.DeletionProtectionEnabled).toBeFalsy();
    expect(t.DeletionPolicy).toBe("Delete");
  });
});

describe("SQS", () => {
  it.each(["dev", "prod"])("gives every work queue a dead-letter queue with redrive (%s)", (which) => {
    const t = which === "dev" ? dev : prod;
    const queues = everywhere(t, "AWS::SQS::Queue");
    const work = queues.filter(([, id]) => !isDeadLetterQueueId(id));
    expect(work.length).toBeGreaterThanOrEqual(2);
    for (const [stack, id, q] of work) {
      const redrive = q.Properties!.RedrivePolicy;
      expect(redrive, `${stack}/${id} has no dead-letter queue`).toBeDefined();
      expect(redrive.maxReceiveCount, id).toBeGreaterThanOrEqual(1);
      const target = queues.find(([, dlq]) => refersTo(redrive.deadLetterTargetArn, dlq));
      expect(target && isDeadLetterQueueId(target[1]), `${id}'s redrive target is a dead-letter queue`).toBe(true);
    }
  });

  it("uses every dead-letter queue as one: a redrive target, or the dead-letter destination of a rule, an invocation or a schedule", () => {
    const asTarget = (id: string) =>
      Object.values(dev).some((resources) =>
        Object.values(resources).some((r) => {
          const p = r.Properties ?? {};
          return [p.RedrivePolicy?.deadLetterTargetArn, p.DestinationConfig?.OnFailure, ...(p.Targets ?? []).map((x: any) => x.DeadLetterConfig), p.Target?.DeadLetterConfig].some((v) => v && refersTo(v, id));
        }),
      );
    const dlqs = everywhere(dev, "AWS::SQS::Queue").filter(([, id]) => isDeadLetterQueueId(id));
    expect(dlqs.length).toBeGreaterThanOrEqual(4);
    for (const [stack, id, q] of dlqs) {
      expect(asTarget(id), `${stack}/${id}`).toBe(true);
      expect(q.Properties!.RedrivePolicy, id).toBeUndefined();
      expect(q.Properties!.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
    }
  });

  it("keeps every queue visible again only after 6x its consumers' timeout, and every work queue has a consumer", () => {
    const mappings = everywhere(dev, "AWS::Lambda::EventSourceMapping");
    for (const [stack, id, q] of everywhere(dev, "AWS::SQS::Queue").filter(([, id]) => !isDeadLetterQueueId(id))) {
      const consumers = mappings.filter(([, , m]) => refersTo(m.Properties!.EventSourceArn, id));
      expect(consumers.length, `${stack}/${id} has a consumer`).toBeGreaterThan(0);
      for (const [consumerStack, , m] of consumers) {
        const fn = dev[consumerStack]![m.Properties!.FunctionName.Ref]!;
        expect(q.Properties!.VisibilityTimeout, `${id} outlasts ${m.Properties!.FunctionName.Ref}`).toBeGreaterThanOrEqual(6 * fn.Properties!.Timeout);
      }
    }
  });

  it("limits the sender to the concurrency the pacing design assumes", () => {
    const sendQueue = only(ofType(dev.Storage!, "AWS::SQS::Queue").filter(([id]) => /^SendQueue[0-9A-F]{8}$/.test(id)), "send queue")[0];
    const [, , mapping] = only(
      everywhere(dev, "AWS::Lambda::EventSourceMapping").filter(([, , m]) => refersTo(m.Properties!.EventSourceArn, sendQueue)),
      "the send queue's consumer",
    );
    expect(SENDER_MAX_CONCURRENCY).toBe(2);
    expect(mapping.Properties!.ScalingConfig).toEqual({ MaximumConcurrency: SENDER_MAX_CONCURRENCY });
    expect(mapping.Properties!.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
  });

  it("retains every queue on prod", () => {
    for (const [stack, id, q] of everywhere(prod, "AWS::SQS::Queue")) expect(q.DeletionPolicy, `${stack}/${id}`).toBe("Retain");
  });
});

describe("SES", () => {
  it("verifies the domain with Easy DKIM (2048-bit) and a custom MAIL FROM", () => {
    const [, identity] = only(ofType(prod.Mail!, "AWS::SES::EmailIdentity"), "one identity");
    expect(identity.Properties!.DkimAttributes).toEqual({ SigningEnabled: true });
    expect(identity.Properties!.DkimSigningAttributes).toEqual({ NextSigningKeyLength: "RSA_2048_BIT" });
    expect(identity.Properties!.MailFromAttributes).toEqual({ MailFromDomain: "bounce.missions.example.org", BehaviorOnMxFailure: "USE_DEFAULT_VALUE" });
  });

  it("publishes reputation metrics and sends every configuration set's events to the default bus", () => {
    const sets = ofType(prod.Mail!, "AWS::SES::ConfigurationSet");
    // Untracked and tracking, for bulk mail and for alerts (whose delivery has a deadline).
    expect(sets).toHaveLength(4);
    for (const [id, s] of sets) expect(s.Properties!.ReputationOptions, id).toEqual({ ReputationMetricsEnabled: true });
    const destinations = ofType(prod.Mail!, "AWS::SES::ConfigurationSetEventDestination");
    for (const [id] of sets) {
      const [, d] = only(destinations.filter(([, x]) => refersTo(x.Properties!.ConfigurationSetName, id)), `destination of ${id}`);
      expect(JSON.stringify(d.Properties!.EventDestination.EventBridgeDestination)).toContain(":event-bus/default");
      expect(d.Properties!.EventDestination.MatchingEventTypes).toEqual(expect.arrayContaining(["bounce", "complaint"]));
    }
  });

  it("documents the DNS records, DMARC included", () => {
    const guide = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf8");
    expect(guide).toMatch(/_dmarc\./);
    expect(guide).toMatch(/v=DMARC1/);
    expect(guide).toMatch(/v=spf1 include:amazonses\.com/);
  });
});

describe("EventBridge Scheduler", () => {
  it("plans the weekly and monthly digests at 08:00 Europe/Stockholm", () => {
    const schedules = ofType(prod.Pipeline!, "AWS::Scheduler::Schedule").map(([, s]) => s.Properties!);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(Object.values(DIGEST_SCHEDULES).sort());
    for (const s of schedules) expect(s.ScheduleExpressionTimezone).toBe("Europe/Stockholm");
  });
});

describe("staff sign-in", () => {
  it("has a user pool and a staff group, retained and delete-protected on prod", () => {
    const [poolId, pool] = only(ofType(prod.Auth!, "AWS::Cognito::UserPool"), "one user pool");
    expect(pool.DeletionPolicy).toBe("Retain");
    expect(pool.Properties!.DeletionProtection).toBe("ACTIVE");
    expect(pool.Properties!.MfaConfiguration).toBe("ON");
    const groups = ofType(prod.Auth!, "AWS::Cognito::UserPoolGroup");
    expect(groups.map(([, g]) => g.Properties!.GroupName).sort()).toEqual(["publisher", "staff"]);
    for (const [, group] of groups) expect(group.Properties!.UserPoolId).toEqual({ Ref: poolId });
  });

  it("puts the JWT authorizer on every staff route and on no other", () => {
    const [authorizerId, authorizer] = only(ofType(prod.Api!, "AWS::ApiGatewayV2::Authorizer"), "one authorizer");
    expect(authorizer.Properties!.AuthorizerType).toBe("JWT");
    const routes = ofType(prod.Api!, "AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties!);
    expect(routes).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      const r = only(routes.filter((x) => x.RouteKey === `${route.method} ${route.path}`), route.path);
      if (isStaffRoute(route)) {
        expect(r.AuthorizationType, r.RouteKey).toBe("JWT");
        expect(r.AuthorizerId, r.RouteKey).toEqual({ Ref: authorizerId });
      } else {
        expect(r.AuthorizationType ?? "NONE", r.RouteKey).toBe("NONE");
      }
    }
  });
});

describe("API Gateway", () => {
  const stage = () => only(ofType(prod.Api!, "AWS::ApiGatewayV2::Stage"), "one stage");

  it("throttles every route, and sign-ups and data-rights requests harder", () => {
    const [, s] = stage();
    expect(s.Properties!.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: DEFAULT_THROTTLE.rate, ThrottlingBurstLimit: DEFAULT_THROTTLE.burst });
    const settings = s.Properties!.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(Object.keys(ROUTE_THROTTLES).sort());
    for (const key of ["POST /api/subscriptions", "POST /subscribe", "POST /api/me/requests"]) {
      expect(settings[key]!.ThrottlingRateLimit, key).toBeLessThan(DEFAULT_THROTTLE.rate);
      expect(settings[key]!.ThrottlingBurstLimit, key).toBeLessThan(DEFAULT_THROTTLE.burst);
    }
  });

  it("throttles only routes that exist, and creates them before the stage names them", () => {
    const [, s] = stage();
    const routes = ofType(prod.Api!, "AWS::ApiGatewayV2::Route");
    for (const key of Object.keys(s.Properties!.RouteSettings)) {
      const [routeId] = only(routes.filter(([, r]) => r.Properties!.RouteKey === key), key);
      expect(s.DependsOn, key).toContain(routeId);
    }
  });

  it("keeps access logs for a month", () => {
    const [, s] = stage();
    const logGroupId = s.Properties!.AccessLogSettings.DestinationArn["Fn::GetAtt"][0];
    expect(prod.Api![logGroupId]!.Properties!.RetentionInDays).toBe(30);
  });
});

describe("CloudWatch alarms", () => {
  const alarms = (t: Templates) => ofType(t.Monitoring!, "AWS::CloudWatch::Alarm").map(([id, a]) => [id, a.Properties!] as const);
  const topicId = (t: Templates) => only(ofType(t.Monitoring!, "AWS::SNS::Topic"), "one alarm topic")[0];

  it.each(["dev", "prod"])("watches the depth of every dead-letter queue in the app (%s)", (which) => {
    const t = which === "dev" ? dev : prod;
    const dlqs = everywhere(t, "AWS::SQS::Queue").filter(([, id]) => isDeadLetterQueueId(id));
    for (const [stack, id] of dlqs) {
      const [, a] = only(
        alarms(t).filter(([, a]) => a.MetricName === "ApproximateNumberOfMessagesVisible" && a.Dimensions.some((d: any) => d.Name === "QueueName" && refersTo(d.Value, id))),
        `alarm on ${stack}/${id}`,
      );
      expect(a.Namespace).toBe("AWS/SQS");
      expect(a.ComparisonOperator).toBe("GreaterThanThreshold");
      expect(a.Threshold).toBe(0);
    }
  });

  it("watches the errors of the sender and of the scheduled jobs, and of no other function", () => {
    const fn = (pattern: RegExp, name: string) => only(ofType(prod.Pipeline!, "AWS::Lambda::Function").filter(([id]) => pattern.test(id)), name)[0];
    const watched = [
      { fn: fn(/^SendMail[0-9A-F]{8}$/, "sender"), period: 300, threshold: 1 },
      { fn: fn(/^Retention[0-9A-F]{8}$/, "retention sweep"), period: 3600, threshold: 1 },
      { fn: fn(/^Sweep[0-9A-F]{8}$/, "sweeper"), period: 900, threshold: 3 },
    ];
    const errors = alarms(prod).filter(([, a]) => a.MetricName === "Errors");
    expect(errors).toHaveLength(watched.length);
    for (const w of watched) {
      const [, a] = only(errors.filter(([, a]) => refersTo(a.Dimensions[0].Value, w.fn)), `errors alarm of ${w.fn}`);
      expect(a.Namespace).toBe("AWS/Lambda");
      expect(a.Statistic).toBe("Sum");
      expect(a.Period).toBe(w.period);
      expect(a.Threshold).toBe(w.threshold);
      expect(a.ComparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    }
  });

  it("watches the account's SES complaint rate at 0.1% and bounce rate at 2%", () => {
    expect(COMPLAINT_RATE_ALARM_THRESHOLD).toBe(0.001);
    expect(BOUNCE_RATE_ALARM_THRESHOLD).toBe(0.02);
    for (const [metric, threshold] of [
      ["Reputation.ComplaintRate", 0.001],
      ["Reputation.BounceRate", 0.02],
    ] as const) {
      const [, a] = only(alarms(prod).filter(([, a]) => a.MetricName === metric), metric);
      expect(a.Namespace).toBe("AWS/SES");
      expect(a.Threshold).toBe(threshold);
      expect(a.ComparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    }
  });

  it("notifies the alarm topic of every alarm and its recovery", () => {
    for (const t of [dev, prod]) {
      for (const [id, a] of alarms(t)) {
        expect(a.AlarmActions, id).toEqual([{ Ref: topicId(t) }]);
        expect(a.OKActions, id).toEqual([{ Ref: topicId(t) }]);
      }
    }
  });

  it("subscribes ALARM_EMAIL to the topic when it is set at deploy, and refuses plain HTTP publishing", () => {
    const [, sub] = only(ofType(prod.Monitoring!, "AWS::SNS::Subscription"), "one subscription");
    expect(sub.Properties).toMatchObject({ Protocol: "email", Endpoint: ALARM_EMAIL, TopicArn: { Ref: topicId(prod) } });
    expect(ofType(dev.Monitoring!, "AWS::SNS::Subscription")).toEqual([]);
    const [, policy] = only(ofType(prod.Monitoring!, "AWS::SNS::TopicPolicy"), "topic policy");
    expect(policy.Properties!.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
  });
});

describe("functions", () => {
  it.each(["dev", "prod"])("keep every function's logs for a month, and every log group's (%s)", (which) => {
    const t = which === "dev" ? dev : prod;
    const functions = everywhere(t, "AWS::Lambda::Function");
    expect(functions.length).toBeGreaterThanOrEqual(AUDIENCES.length + Object.keys(PIPELINE_HANDLERS).length);
    for (const [stack, id, fn] of functions) {
      const resources = t[stack]!;
      const viaRetention = ofType(resources, "Custom::LogRetention").filter(([, r]) => JSON.stringify(r.Properties!.LogGroupName) === JSON.stringify({ "Fn::Join": ["", ["/aws/lambda/", { Ref: id }]] }));
      const logGroupId = fn.Properties!.LoggingConfig?.LogGroup?.Ref as string | undefined;
      const days = viaRetention.length ? viaRetention[0]![1].Properties!.RetentionInDays : logGroupId ? resources[logGroupId]?.Properties!.RetentionInDays : undefined;
      expect(days, `${stack}/${id} keeps its logs for a month`).toBe(30);
    }
    for (const [stack, id, g] of everywhere(t, "AWS::Logs::LogGroup")) expect(g.Properties!.RetentionInDays, `${stack}/${id}`).toBe(30);
  });

  it("are granted '*' only for X-Ray's actions and CDK's log-retention handler, and never a whole service", () => {
    const statements = Object.entries(prod).flatMap(([stack, resources]) =>
      Object.entries(resources).flatMap(([id, r]) => {
        const documents: any[] = r.Type === "AWS::IAM::Policy" ? [r.Properties!.PolicyDocument] : r.Type === "AWS::IAM::Role" ? (r.Properties!.Policies ?? []).map((p: any) => p.PolicyDocument) : [];
        const allows: any[] = documents.flatMap((d) => d.Statement).filter((s: any) => s.Effect === "Allow");
        return allows.map((s) => ({ where: `${stack}/${id}`, s }));
      }),
    );
    expect(statements.length).toBeGreaterThan(40);
    const allowedOnEverything = new Set(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"]);
    for (const { where, s } of statements) {
      const actions = [s.Action].flat() as string[];
      for (const a of actions) expect(a === "*" || a.endsWith(":*"), `${where} allows ${a}`).toBe(false);
      if ([s.Resource].flat().includes("*")) {
        for (const a of actions) expect(allowedOnEverything.has(a), `${where} allows ${a} on every resource`).toBe(true);
      }
    }
  });

  it("fetch secrets from SSM by their exact parameter names, never a wildcard", () => {
    const ssm = Object.values(prod)
      .flatMap((resources) => ofType(resources, "AWS::IAM::Policy"))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as any[])
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith("ssm:")));
    expect(ssm.length).toBeGreaterThan(0);
    for (const s of ssm) {
      expect([s.Action].flat()).toEqual(["ssm:GetParameters"]);
      for (const r of [s.Resource].flat()) expect(JSON.stringify(r)).toMatch(/:parameter\/sst\/mission-mail\/(prod|\.fallback)\/Secret\/[A-Z_]+\/value"/);
    }
  });
});
