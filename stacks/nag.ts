import { Stack } from "aws-cdk-lib/core";
import * as apigatewayv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { NagSuppressions, type NagPackSuppression } from "cdk-nag";
import type { IConstruct } from "constructs";
import { ROUTES, isStaffRoute, type RouteSpec } from "../packages/functions/src/routes";
import { isDeadLetterQueue } from "./monitoring";

/**
 * The app's answers to cdk-nag's AwsSolutions pack: every finding that is not fixed is suppressed
 * here, on the resources it concerns, with the reason. sst.config.ts applies them to the app, so the
 * whole-app test (tests/stacks/nag.test.ts), `npm run synth` and a deploy see the same suppressions.
 * A finding without a reason here fails the test.
 */

/** The managed policy every Lambda role gets for its own logs (CreateLogGroup, CreateLogStream, PutLogEvents). */
const LAMBDA_BASIC_EXECUTION = "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/** X-Ray's write actions, which take no resource: tracing is on for every function (SST's default). */
const TRACING_ACTIONS = new Set(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);

/** What CDK's log-retention handler does, on log groups named at deploy time. */
const LOG_RETENTION_ACTIONS = new Set(["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"]);

/** The runtime the app deploys on (DESIGN: nodejs22.x, arm64). */
const RUNTIME = "nodejs22.x";

/** Subscriber routes authorised by the signed token (confirm, manage, data-rights) in the link they come from. */
const TOKEN_ROUTE = /^\/(confirm|unsubscribe|preferences|me)$|^\/api\/(preferences|me\/.+|subscriptions\/confirm)$/;

export const REASONS = {
  lambdaBasicExecution:
    "AWSLambdaBasicExecutionRole only lets a function create and write its own CloudWatch log streams. It is the role CDK and SST give every function; an inline copy would grant the same actions.",
  tableIndexes:
    "Query on the table's global secondary indexes needs the index ARN. The wildcard covers the indexes of this one table only (GSI1, the fan-out, outbox and runs index), never other tables.",
  tracing:
    "X-Ray's PutTraceSegments and PutTelemetryRecords do not support resource-level permissions, so their only resource is '*'. The statement allows nothing else; tests/stacks/production.test.ts checks that every '*' is one of these.",
  logRetention:
    "CDK's log-retention handler sets the retention of the functions' log groups, whose names are known only at deploy time; it can only set and delete retention policies.",
  announcementSchedules:
    "A scheduled announcement is a one-off EventBridge Scheduler schedule made at run time and named announcement-<id>, so the routes that schedule and cancel announcements may create and delete schedules matching that prefix, in the app's own announcement schedule group only.",
  runtime:
    "Every function runs on nodejs22.x, an LTS release that Lambda supports, chosen in the design and matched by the bundler's target (node22). Moving to a newer runtime is a deliberate upgrade, tested first, not something a deploy should do by itself.",
  deadLetterQueue:
    "This queue is itself a dead-letter queue: it receives what failed elsewhere (poison messages with their reason, events whose delivery or invocation failed for good). A dead-letter queue of a dead-letter queue would only move the problem; an alarm on its depth (stacks/monitoring.ts) calls for a person instead.",
  staffUserPoolThreatProtection:
    "The staff pool is a handful of administrator-created accounts with no self sign-up, 14-character passwords and TOTP required for everyone. Cognito threat protection (advanced security) needs the Plus feature plan, billed per user; with MFA enforced it adds little here.",
  publicPage:
    "Public by design: the Missions pages, archive and feed, cookie settings, consent text, mission catalogue, scripts and the sign-up serve anonymous visitors. Abuse is limited by API Gateway throttling (stacks/throttling.ts) and the app's per-address and per-IP sign-up limits.",
  tokenRoute:
    "Subscribers have no accounts: this route is authorised by the HMAC-signed, expiring token (confirm, manage or data-rights) in the email link it serves, which the function verifies. One-click unsubscribe (RFC 8058) must work without signing in.",
  webhook:
    "The CMS cannot hold a Cognito token: the content webhook is authenticated by the HMAC-SHA256 signature of its body under WEBHOOK_SECRET, verified by the function before anything is accepted.",
  staffConsolePage:
    "The staff console's page and its sign-in callback must load before anyone has signed in (they start the Hosted UI sign-in with PKCE). They hold no data; everything the console shows comes from /api/staff/* routes, which have the JWT authorizer.",
} as const;

/** Why a route without an authorizer is public, or undefined if it should have one (staff routes, unknown routes). */
function publicRouteReason(route: RouteSpec): string | undefined {
  if (isStaffRoute(route)) return undefined;
  if (route.webhookSecret) return REASONS.webhook;
  if (route.staffConsole) return REASONS.staffConsolePage;
  if (TOKEN_ROUTE.test(route.path)) return REASONS.tokenRoute;
  return REASONS.publicPage;
}

/** The actions of a policy's statements that allow them on every resource ("*"). */
function actionsOnEveryResource(policy: iam.Policy): string[] {
  const json = policy.document.toJSON() as { Statement?: { Effect: string; Action: string | string[]; Resource?: unknown }[] } | undefined;
  return (json?.Statement ?? [])
    .filter((s) => s.Effect === "Allow" && [s.Resource].flat().includes("*"))
    .flatMap((s) => [s.Action].flat());
}

const suppress = (construct: IConstruct, suppression: NagPackSuppression) => NagSuppressions.addResourceSuppressions(construct, [suppression], true);

/** Suppresses, with their reasons, the AwsSolutions findings the app accepts. Call it after every stack is made. */
export function applyNagSuppressions(root: IConstruct): void {
  const all = root.node.findAll();

  for (const stack of all.filter((c): c is Stack => c instanceof Stack)) {
    NagSuppressions.addStackSuppressions(stack, [
      { id: "AwsSolutions-IAM4", reason: REASONS.lambdaBasicExecution, appliesTo: [LAMBDA_BASIC_EXECUTION] },
      { id: "AwsSolutions-IAM5", reason: REASONS.tableIndexes, appliesTo: [{ regex: "/^Resource::<Table[0-9A-F]{8}\\.Arn>\\/index\\/\\*$/" }] },
      {
        id: "AwsSolutions-IAM5",
        reason: REASONS.announcementSchedules,
        appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:scheduler:[a-z0-9-]+:(<AWS::AccountId>|\\d{12}):schedule\\/[A-Za-z0-9_.-]+-announcements\\/announcement-\\*$/" }],
      },
    ]);
  }

  for (const policy of all.filter((c): c is iam.Policy => c instanceof iam.Policy)) {
    const actions = actionsOnEveryResource(policy);
    if (!actions.length) continue;
    if (actions.every((a) => TRACING_ACTIONS.has(a))) suppress(policy, { id: "AwsSolutions-IAM5", reason: REASONS.tracing, appliesTo: ["Resource::*"] });
    else if (actions.every((a) => LOG_RETENTION_ACTIONS.has(a))) suppress(policy, { id: "AwsSolutions-IAM5", reason: REASONS.logRetention, appliesTo: ["Resource::*"] });
  }

  for (const fn of all.filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)) {
    if (fn.runtime === RUNTIME) suppress(fn, { id: "AwsSolutions-L1", reason: REASONS.runtime });
  }

  for (const route of all.filter((c): c is apigatewayv2.CfnRoute => c instanceof apigatewayv2.CfnRoute)) {
    if (route.authorizationType && route.authorizationType !== "NONE") continue;
    const spec = ROUTES.find((r) => `${r.method} ${r.path}` === route.routeKey);
    const reason = spec && publicRouteReason(spec);
    if (reason) suppress(route, { id: "AwsSolutions-APIG4", reason });
  }

  for (const queue of all.filter((c): c is sqs.Queue => isDeadLetterQueue(c) && c.deadLetterQueue === undefined)) {
    suppress(queue, { id: "AwsSolutions-SQS3", reason: REASONS.deadLetterQueue });
  }

  for (const pool of all.filter((c): c is cognito.UserPool => c instanceof cognito.UserPool)) {
    suppress(pool, { id: "AwsSolutions-COG3", reason: REASONS.staffUserPoolThreatProtection });
  }
}
