import { Lazy, RemovalPolicy } from "aws-cdk-lib/core";
import * as iam from "aws-cdk-lib/aws-iam";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { Function, Api as HttpApi, use, type StackContext } from "sst/constructs";
import { AUDIENCES, ROUTES, audienceEntry, handlerPath, isStaffRoute, routeKey, type Audience, type RouteSpec } from "../packages/functions/src/routes";
import { sendTo, tableAccess } from "./access";
import { Auth } from "./auth";
import { Events } from "./events";
import { HTTP_BUNDLING } from "./handlers";
import { Mail } from "./mail";
import { isProdStage } from "./stage";
import { siteEnvironment } from "./site";
import { Storage } from "./storage";
import { throttleRoutes } from "./throttling";

/**
 * The HTTP API: one function per audience of the shared route table (public, subscriber, webhook,
 * staff), each serving all of its audience's routes, so a visitor or a staff member meets one cold
 * start rather than one per route. Each function gets the union of what its routes declare, and
 * nothing another audience needs: the highest level of table access among them, the send queue
 * (transactional mail), the plan queue (digest runs), the app's bus (content events), the secrets its
 * routes read (and no others), announcement scheduling and test sends, and the dead-letter queues' depths (the health view). The staff API's routes (`/api/staff/*`) sit behind a
 * JWT authorizer for the staff user pool; the staff function also serves the console's page, which
 * gets the public half it signs in with (client id and Hosted UI). Returns the configuration every
 * function of the app reads, for the pipeline stack.
 */
export function Api({ app, stack }: StackContext) {
  const { table, sendQueue, signUpQueue, planQueue, deadLetterQueue, signUpDeadLetterQueue, planDeadLetterQueue, contentDeadLetterQueue, feedbackDeadLetterQueue, secrets } = use(Storage);
  const { bus } = use(Events);
  const mail = use(Mail);
  const auth = use(Auth);

  const baseEnvironment = {
    TABLE_NAME: table.tableName,
    MAIL_FROM: mail.fromAddress,
    UNSUBSCRIBE_MAILTO: process.env.UNSUBSCRIBE_MAILTO || `unsubscribe@${mail.domain}`,
    // Replies to digests and account mail; mail about one mission answers to its team's address.
    REPLY_TO: process.env.REPLY_TO || `Missions <info@${mail.domain}>`,
    CONFIGURATION_SET: mail.configurationSet.configurationSetName,
    CONFIGURATION_SET_TRACKING: mail.trackingConfigurationSet.configurationSetName,
  };
  // Each secret is bound only to the functions whose routes read it (the route table's `secrets` and
  // `webhookSecret`): a binding is both the variable and the right to read that one SSM parameter.
  const { WEBHOOK_SECRET } = secrets;
  const secretsOf = (routes: RouteSpec[]) => [...new Set(routes.flatMap((r) => r.secrets ?? []))].sort().map((name) => secrets[name]);

  // The console's callback URLs are under the public URL, which may be the API's own URL, known only
  // once the API exists; the authorizer needs the client before that. A lazy value resolves at synth.
  let resolvedPublicUrl: string | undefined;
  const staffClient = auth.consoleClient(stack, Lazy.string({ produce: () => resolvedPublicUrl }));

  const api = new HttpApi(stack, "Api", {
    // Browsers may call the API from the site's own origin only, with the methods and headers it uses.
    cors: corsSettings(process.env),
    // Access logs hold callers' IPs (for abuse investigations): kept a month, like the functions' logs.
    accessLog: { retention: "one_month" },
    // The authorizer checks signature, issuer, audience (client_id for access tokens) and expiry; it
    // does not check groups, so the staff functions check the `staff` group (and the token) themselves.
    authorizers: { staff: { type: "jwt", jwt: { issuer: auth.issuer, audience: [staffClient.userPoolClientId] } } },
  });
  // Links in emails point at the public site when there is one, else straight at the API.
  const publicUrl = (resolvedPublicUrl = process.env.PUBLIC_URL || api.url);
  const staffEnvironment = { STAFF_ISSUER: auth.issuer, STAFF_CLIENT_ID: staffClient.userPoolClientId };
  // Who publishes the pages (the header names the agency): set per stage by the deploying shell.
  const pagesEnvironment = siteEnvironment();
  // The console's page starts the sign-in in the browser: it needs the public client id and the Hosted UI, nothing secret.
  const consoleEnvironment = { STAFF_CLIENT_ID: staffClient.userPoolClientId, STAFF_AUTH_DOMAIN: auth.domain.baseUrl() };

  // Scheduled announcements: a one-off EventBridge Scheduler schedule per send, made at run time in this
  // group, whose role may only put jobs on the plan queue (and dead-letter them). The routes that
  // schedule may create and delete announcement schedules in this group and pass this role, nothing more.
  const announcementSchedules = new scheduler.ScheduleGroup(stack, "AnnouncementSchedules", {
    scheduleGroupName: app.logicalPrefixedName("announcements"),
    removalPolicy: isProdStage(app.stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const announcementSchedulerRole = new iam.Role(stack, "AnnouncementSchedulerRole", {
    description: "Assumed by EventBridge Scheduler to put a scheduled announcement's job on the plan queue",
    assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", { conditions: { StringEquals: { "aws:SourceAccount": stack.account } } }),
  });
  announcementSchedulerRole.addToPolicy(sendTo(planQueue.cdk.queue, planDeadLetterQueue));
  const schedulerEnvironment = {
    ANNOUNCEMENT_SCHEDULE_GROUP: announcementSchedules.scheduleGroupName,
    ANNOUNCEMENT_SCHEDULER_ROLE_ARN: announcementSchedulerRole.roleArn,
    PLAN_QUEUE_ARN: planQueue.queueArn,
    PLAN_DLQ_ARN: planDeadLetterQueue.queueArn,
  };
  const schedulerPermissions = [
    new iam.PolicyStatement({
      actions: ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"],
      resources: [stack.formatArn({ service: "scheduler", resource: "schedule", resourceName: `${announcementSchedules.scheduleGroupName}/announcement-*` })],
    }),
    new iam.PolicyStatement({
      actions: ["iam:PassRole"],
      resources: [announcementSchedulerRole.roleArn],
      conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
    }),
  ];
  // Test sends of announcements go straight to SES (at most ten staff addresses), through the plain
  // configuration set, paced by the same account-wide bucket as the sender.
  const testSendPermission = new iam.PolicyStatement({ actions: ["ses:SendEmail"], resources: [mail.identity.emailIdentityArn, mail.configurationSetArns[0]!] });

  // The health view reads how many messages wait in each dead-letter queue: their URLs, and
  // GetQueueAttributes on exactly these five, nothing else (it neither reads nor deletes messages).
  const deadLetterEnvironment = {
    SEND_DLQ_URL: deadLetterQueue.queueUrl,
    SIGNUP_DLQ_URL: signUpDeadLetterQueue.queueUrl,
    PLAN_DLQ_URL: planDeadLetterQueue.queueUrl,
    CONTENT_DLQ_URL: contentDeadLetterQueue.queueUrl,
    FEEDBACK_DLQ_URL: feedbackDeadLetterQueue.queueUrl,
  };
  const deadLetterDepthPermission = new iam.PolicyStatement({
    actions: ["sqs:GetQueueAttributes"],
    resources: [deadLetterQueue, signUpDeadLetterQueue, planDeadLetterQueue, contentDeadLetterQueue, feedbackDeadLetterQueue].map((q) => q.queueArn),
  });

  const approvalEnvironment = Object.fromEntries(["APPROVAL_THRESHOLD", "LINK_CHECK"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));

  /** One audience's function, granted the union of its routes' needs. */
  const audienceFunction = (audience: Audience, routes: RouteSpec[]) => {
    const needs = (flag: "queue" | "signUpQueue" | "planQueue" | "bus" | "webhookSecret" | "staffConsole" | "mail" | "scheduler" | "deadLetters") => routes.some((r) => r[flag]);
    return new Function(stack, `${audience[0]!.toUpperCase()}${audience.slice(1)}Http`, {
      handler: handlerPath(audienceEntry(audience)),
      description: `The ${audience} HTTP routes (${routes.length}), dispatched by route key`,
      nodejs: HTTP_BUNDLING,
      environment: {
        ...baseEnvironment,
        PUBLIC_URL: publicUrl,
        ...(needs("queue") ? { SEND_QUEUE_URL: sendQueue.queueUrl } : {}),
        ...(needs("signUpQueue") ? { SIGNUP_QUEUE_URL: signUpQueue.queueUrl } : {}),
        ...(needs("planQueue") ? { PLAN_QUEUE_URL: planQueue.queueUrl } : {}),
        ...(needs("bus") ? { EVENT_BUS_NAME: bus.eventBusName } : {}),
        ...(routes.some(isStaffRoute) ? staffEnvironment : {}),
        ...(needs("staffConsole") ? consoleEnvironment : {}),
        ...(audience === "webhook" ? {} : pagesEnvironment),
        ...(needs("scheduler") ? schedulerEnvironment : {}),
        ...(needs("deadLetters") ? deadLetterEnvironment : {}),
        ...(needs("mail") ? { SEND_RATE_PER_SECOND: process.env.SEND_RATE_PER_SECOND || "14" } : {}),
        // The four-eyes threshold and the pre-send link check, where set at deploy (the handlers' defaults: 100, on).
        ...(routes.some(isStaffRoute) ? approvalEnvironment : {}),
      },
      bind: [...secretsOf(routes), ...(needs("webhookSecret") ? [WEBHOOK_SECRET] : [])],
      permissions: [
        ...tableAccess(table, highestTableAccess(routes)),
        ...(needs("queue") ? [sendTo(sendQueue.cdk.queue)] : []),
        ...(needs("signUpQueue") ? [sendTo(signUpQueue.cdk.queue)] : []),
        ...(needs("planQueue") ? [sendTo(planQueue.cdk.queue)] : []),
        ...(needs("bus") ? [new iam.PolicyStatement({ actions: ["events:PutEvents"], resources: [bus.eventBusArn] })] : []),
        ...(needs("scheduler") ? schedulerPermissions : []),
        ...(needs("mail") ? [testSendPermission] : []),
        ...(needs("deadLetters") ? [deadLetterDepthPermission] : []),
      ],
    });
  };
  const functions = Object.fromEntries(
    AUDIENCES.map((audience) => [audience, audienceFunction(audience, ROUTES.filter((r) => r.audience === audience))]),
  ) as Record<Audience, Function>;
  api.addRoutes(
    stack,
    Object.fromEntries(ROUTES.map((route) => [routeKey(route), { function: functions[route.audience], ...(isStaffRoute(route) ? { authorizer: "staff" } : {}) }])),
  );

  throttleRoutes(api);

  stack.addOutputs({ ApiUrl: api.url, PublicUrl: publicUrl, StaffConsoleClientId: staffClient.userPoolClientId });

  return { api, functions, publicUrl, environment: { ...baseEnvironment, PUBLIC_URL: publicUrl } };
}

/** The methods the API's routes use, and the request headers a browser on the site sends them. */
export const CORS_METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
export const CORS_HEADERS = ["content-type", "authorization", "accept"];

/**
 * The HTTP API's CORS: the site's own origin only (`CORS_ORIGIN`, by default `PUBLIC_URL`'s origin),
 * the routes' methods and the headers the pages and the console send, no credentials. Without either
 * setting the site is the API itself, which needs no CORS: none is answered, so no other origin may
 * read the API from a browser.
 */
export function corsSettings(env: Record<string, string | undefined>): false | { allowOrigins: string[]; allowMethods: (typeof CORS_METHODS)[number][]; allowHeaders: string[]; allowCredentials: false; maxAge: "1 hour" } {
  const configured = env.CORS_ORIGIN || env.PUBLIC_URL;
  if (!configured) return false;
  let origin: string;
  try {
    origin = new URL(configured).origin;
  } catch {
    throw new Error(`CORS_ORIGIN or PUBLIC_URL is not a URL: ${JSON.stringify(configured)}`);
  }
  if (origin === "null") throw new Error(`CORS_ORIGIN or PUBLIC_URL has no origin: ${JSON.stringify(configured)}`);
  return { allowOrigins: [origin], allowMethods: [...CORS_METHODS], allowHeaders: CORS_HEADERS, allowCredentials: false, maxAge: "1 hour" };
}

const TABLE_ACCESS_LEVELS: RouteSpec["table"][] = ["none", "read", "write"];

/** The highest table access any of the routes needs: a function serving them all needs that much. */
export function highestTableAccess(routes: Pick<RouteSpec, "table">[]): RouteSpec["table"] {
  return TABLE_ACCESS_LEVELS[Math.max(0, ...routes.map((r) => TABLE_ACCESS_LEVELS.indexOf(r.table)))]!;
}
