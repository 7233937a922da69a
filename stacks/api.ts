import { Lazy } from "aws-cdk-lib/core";
import * as iam from "aws-cdk-lib/aws-iam";
import { Api as HttpApi, use, type FunctionProps, type StackContext } from "sst/constructs";
import { ROUTES, handlerPath, isStaffRoute, type RouteSpec } from "../packages/functions/src/routes";
import { sendTo, tableAccess } from "./access";
import { Auth } from "./auth";
import { Events } from "./events";
import { Mail } from "./mail";
import { Storage } from "./storage";

/**
 * The HTTP API: one function per route from the shared route table. Each function gets exactly what
 * its route declares: its level of table access, the send queue (transactional mail), the plan queue
 * (digest runs), the app's bus (content events) and the webhook secret. Staff routes (`/api/staff/*`)
 * sit behind a JWT authorizer for the staff user pool and get the staff sign-in configuration; public
 * routes have neither. Returns the configuration every function of the app reads, for the pipeline
 * stack.
 */
export function Api({ stack }: StackContext) {
  const { table, sendQueue, planQueue, secrets } = use(Storage);
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
    // The authorizer checks signature, issuer, audience (client_id for access tokens) and expiry; it
    // does not check groups, so the staff functions check the `staff` group (and the token) themselves.
    authorizers: { staff: { type: "jwt", jwt: { issuer: auth.issuer, audience: [staffClient.userPoolClientId] } } },
  });
  // Links in emails point at the public site when there is one, else straight at the API.
  const publicUrl = (resolvedPublicUrl = process.env.PUBLIC_URL || api.url);
  const staffEnvironment = { STAFF_ISSUER: auth.issuer, STAFF_CLIENT_ID: staffClient.userPoolClientId };

  const routeFunction = (route: RouteSpec): FunctionProps => ({
    handler: handlerPath(route.handler),
    environment: {
      PUBLIC_URL: publicUrl,
      ...(route.queue ? { SEND_QUEUE_URL: sendQueue.queueUrl } : {}),
      ...(route.planQueue ? { PLAN_QUEUE_URL: planQueue.queueUrl } : {}),
      ...(route.bus ? { EVENT_BUS_NAME: bus.eventBusName } : {}),
      ...(isStaffRoute(route) ? staffEnvironment : {}),
    },
    bind: route.webhookSecret ? [WEBHOOK_SECRET] : [],
    permissions: [
      ...tableAccess(table, route.table),
      ...(route.queue ? [sendTo(sendQueue.cdk.queue)] : []),
      ...(route.planQueue ? [sendTo(planQueue.cdk.queue)] : []),
      ...(route.bus ? [new iam.PolicyStatement({ actions: ["events:PutEvents"], resources: [bus.eventBusArn] })] : []),
    ],
  });
  api.addRoutes(
    stack,
    Object.fromEntries(ROUTES.map((route) => [`${route.method} ${route.path}`, { function: routeFunction(route), ...(isStaffRoute(route) ? { authorizer: "staff" } : {}) }])),
  );

  stack.addOutputs({ ApiUrl: api.url, PublicUrl: publicUrl, StaffConsoleClientId: staffClient.userPoolClientId });

  return { api, publicUrl, environment: { ...baseEnvironment, PUBLIC_URL: publicUrl }, bind };
}
