import * as iam from "aws-cdk-lib/aws-iam";
import { Api as HttpApi, Function, use, type FunctionProps, type StackContext } from "sst/constructs";
import { ROUTES, handlerPath, type RouteSpec } from "../packages/functions/src/routes";
import { Mail } from "./mail";
import { SENDER_TIMEOUT_SECONDS, Storage } from "./storage";

/** Item reads. No Scan: every read the product makes is by key or index. */
export const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];

/** Item writes, including what TransactWriteItems needs (it is authorised per Put/Update/Delete/ConditionCheck). */
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
];

/** The send queue's consumer: how many messages per invocation and at most how many at once. */
export const SENDER_BATCH_SIZE = 10;
export const SENDER_MAX_CONCURRENCY = 2;

/**
 * The stateless part: one function per HTTP route from the shared route table, and the send queue's
 * consumer. Each function gets only the table access its route declares, and only routes that enqueue
 * mail may send to the queue.
 */
export function Api({ stack }: StackContext) {
  const { table, sendQueue, deadLetterQueue, secrets } = use(Storage);
  const mail = use(Mail);

  const tableArns = [table.tableArn, `${table.tableArn}/index/*`];
  const tableAccess = (access: RouteSpec["table"]): iam.PolicyStatement[] => {
    if (access === "none") return [];
    const actions = access === "read" ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
    return [new iam.PolicyStatement({ actions, resources: tableArns })];
  };

  const sharedEnvironment = {
    TABLE_NAME: table.tableName,
    MAIL_FROM: mail.fromAddress,
    UNSUBSCRIBE_MAILTO: process.env.UNSUBSCRIBE_MAILTO || `unsubscribe@${mail.domain}`,
    CONFIGURATION_SET: mail.configurationSet.configurationSetName,
    CONFIGURATION_SET_TRACKING: mail.trackingConfigurationSet.configurationSetName,
  };
  const bind = Object.values(secrets);

  const api = new HttpApi(stack, "Api", {
    defaults: { function: { environment: sharedEnvironment, bind } },
  });
  // Links in emails point at the public site when there is one, else straight at the API.
  const publicUrl = process.env.PUBLIC_URL || api.url;

  const routeFunction = (route: RouteSpec): FunctionProps => ({
    handler: handlerPath(route.handler),
    environment: {
      PUBLIC_URL: publicUrl,
      ...(route.queue ? { SEND_QUEUE_URL: sendQueue.queueUrl } : {}),
    },
    permissions: [
      ...tableAccess(route.table),
      ...(route.queue ? [new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [sendQueue.queueArn] })] : []),
    ],
  });
  api.addRoutes(
    stack,
    Object.fromEntries(ROUTES.map((route) => [`${route.method} ${route.path}`, { function: routeFunction(route) }])),
  );

  const sender = new Function(stack, "SendMail", {
    handler: "packages/functions/src/queues/send-mail.handler",
    timeout: SENDER_TIMEOUT_SECONDS,
    environment: { ...sharedEnvironment, PUBLIC_URL: publicUrl, SEND_DLQ_URL: deadLetterQueue.queueUrl },
    bind,
    permissions: [
      ...tableAccess("write"),
      new iam.PolicyStatement({
        actions: ["ses:SendEmail", "ses:SendRawEmail"],
        resources: [mail.identity.emailIdentityArn, ...mail.configurationSetArns],
      }),
      // Poison messages go straight to the DLQ with their reason; the sender never enqueues mail.
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [deadLetterQueue.queueArn] }),
    ],
  });
  // Grants only what consuming needs (receive, delete, change visibility), not SendMessage.
  sendQueue.addConsumer(stack, {
    function: sender,
    cdk: {
      eventSource: {
        batchSize: SENDER_BATCH_SIZE,
        reportBatchItemFailures: true,
        // Caps the account-wide send rate: each consumer paces itself at its share of the SES quota.
        maxConcurrency: SENDER_MAX_CONCURRENCY,
      },
    },
  });

  stack.addOutputs({ ApiUrl: api.url, PublicUrl: publicUrl });

  return { api, sender };
}
