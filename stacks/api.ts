import * as iam from "aws-cdk-lib/aws-iam";
import { Api as HttpApi, use, type FunctionProps, type StackContext } from "sst/constructs";
import { ROUTES, handlerPath, type RouteSpec } from "../packages/functions/src/routes";
import { sendTo, tableAccess } from "./access";
import { Events } from "./events";
import { Mail } from "./mail";
import { Storage } from "./storage";

/**
 * The HTTP API: one function per route from the shared route table. Each function gets exactly what
 * its route declares: its level of table access, the send queue (transactional mail), the plan queue
 * (digest runs), the app's bus (content events) and the webhook secret. Returns the configuration
 * every function of the app reads, for the pipeline stack.
 */
export function Api({ stack }: StackContext) {
  const { table, sendQueue, planQueue, secrets } = use(Storage);
  const { bus } = use(Events);
  const mail = use(Mail);

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

  const api = new HttpApi(stack, "Api", {
    defaults: { function: { environment: baseEnvironment, bind } },
  });
  // Links in emails point at the public site when there is one, else straight at the API.
  const publicUrl = process.env.PUBLIC_URL || api.url;

  const routeFunction = (route: RouteSpec): FunctionProps => ({
    handler: handlerPath(route.handler),
    environment: {
      PUBLIC_URL: publicUrl,
      ...(route.queue ? { SEND_QUEUE_URL: sendQueue.queueUrl } : {}),
      ...(route.planQueue ? { PLAN_QUEUE_URL: planQueue.queueUrl } : {}),
      ...(route.bus ? { EVENT_BUS_NAME: bus.eventBusName } : {}),
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
    Object.fromEntries(ROUTES.map((route) => [`${route.method} ${route.path}`, { function: routeFunction(route) }])),
  );

  stack.addOutputs({ ApiUrl: api.url, PublicUrl: publicUrl });

  return { api, publicUrl, environment: { ...baseEnvironment, PUBLIC_URL: publicUrl }, bind };
}
