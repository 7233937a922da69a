import { Lazy, RemovalPolicy } from "aws-cdk-lib/core";
import * as iam from "aws-cdk-lib/aws-iam";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { Api as HttpApi, use, type FunctionProps, type StackContext } from "sst/constructs";
import { ROUTES, handlerPath, isStaffRoute, type RouteSpec } from "../packages/functions/src/routes";
import { sendTo, tableAccess } from "./access";
import { Auth } from "./auth";
import { Events } from "./events";
import { Mail } from "./mail";
import { isProdStage } from "./stage";
import { Storage } from "./storage";
import { throttleRoutes } from "./throttling";

/**
 * The HTTP API: one function per route from the shared route table. Each function gets exactly what
 * its route declares: its level of table access, the send queue (transactional mail), the plan queue
 * (digest runs), the app's bus (content events) and the webhook secret. Staff routes (`/api/staff/*`)
 * sit behind a JWT authorizer for the staff user pool and get the staff sign-in configuration; public
 * routes have neither, except that the console's page gets the public half it signs in with (client
 * id and Hosted UI). Returns the configuration every function of the app reads, for the pipeline
 * stack.
 */
export function Api({ app, stack }: StackContext) {
  const { table, sendQueue, planQueue, planDeadLetterQueue, secrets } = use(Storage);
  const { bus } = use(Events);
  const mail = use(Mail);
  const auth = use(Auth);

  const baseEnvironment = {
    TABLE_NAME: table.tableName,
    MAIL_FROM: mail.fromAddress,
    UNSUBSCRIBE_MAILTO: process.env.UNSUBSCRIBE_MAILTO || `unsubscribe@${mail.domain}`,
    CONFIGURATION_SET: mail.configurationSet.configurationSetName,
    CONFIGURATION_SET_TRACKING: mail.trackingConfigurationSet.configurationSetName,
  };
  // The configuration module requires these three everywhere; the webhook secret only goes where it is used.
  const { WEBHOOK_SECRET, ...required } = secrets;
  const bind = Object.values(required);

  // The console's callback URLs are under the public URL, which may be the API's own URL, known only
  // once the API exists; the authorizer needs the client before that. A lazy value resolves at synth.
  let resolvedPublicUrl: string | undefined;
  const staffClient = auth.consoleClient(stack, Lazy.string({ produce: () => resolvedPublicUrl }));

  const api = new HttpApi(stack, "Api", {
    defaults: { function: { environment: baseEnvironment, bind } },
    // Access logs hold callers' IPs (for abuse investigations): kept a month, like the functions' logs.
    accessLog: { retention: "one_month" },
    // The authorizer checks signature, issuer, audience (client_id for access tokens) and expiry; it
    // does not check groups, so the staff functions check the `staff` group (and the token) themselves.
    authorizers: { staff: { type: "jwt", jwt: { issuer: auth.issuer, audience: [staffClient.userPoolClientId] } } },
  });
  // Links in emails point at the public site when there is one, else straight at the API.
  const publicUrl = (resolvedPublicUrl = process.env.PUBLIC_URL || api.url);
  const staffEnvironment = { STAFF_ISSUER: auth.issuer, STAFF_CLIENT_ID: staffClient.userPoolClientId };
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

  const routeFunction = (route: RouteSpec): FunctionProps => ({
    handler: handlerPath(route.handler),
    environment: {
      PUBLIC_URL: publicUrl,
      ...(route.queue ? { SEND_QUEUE_URL: sendQueue.queueUrl } : {}),
      ...(route.planQueue ? { PLAN_QUEUE_URL: planQueue.queueUrl } : {}),
      ...(route.bus ? { EVENT_BUS_NAME: bus.eventBusName } : {}),
      ...(isStaffRoute(route) ? staffEnvironment : {}),
      ...(route.staffConsole ? consoleEnvironment : {}),
      ...(route.scheduler ? schedulerEnvironment : {}),
      ...(route.mail ? { SEND_RATE_PER_SECOND: process.env.SEND_RATE_PER_SECOND || "14" } : {}),
    },
    bind: route.webhookSecret ? [WEBHOOK_SECRET] : [],
    permissions: [
      ...tableAccess(table, route.table),
      ...(route.queue ? [sendTo(sendQueue.cdk.queue)] : []),
      ...(route.planQueue ? [sendTo(planQueue.cdk.queue)] : []),
      ...(route.bus ? [new iam.PolicyStatement({ actions: ["events:PutEvents"], resources: [bus.eventBusArn] })] : []),
      ...(route.scheduler ? schedulerPermissions : []),
      ...(route.mail ? [testSendPermission] : []),
    ],
  });
  api.addRoutes(
    stack,
    Object.fromEntries(ROUTES.map((route) => [`${route.method} ${route.path}`, { function: routeFunction(route), ...(isStaffRoute(route) ? { authorizer: "staff" } : {}) }])),
  );

  throttleRoutes(api);

  stack.addOutputs({ ApiUrl: api.url, PublicUrl: publicUrl, StaffConsoleClientId: staffClient.userPoolClientId });

  return { api, publicUrl, environment: { ...baseEnvironment, PUBLIC_URL: publicUrl }, bind };
}
