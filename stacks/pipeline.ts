import { Duration, TimeZone } from "aws-cdk-lib/core";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as schedulerTargets from "aws-cdk-lib/aws-scheduler-targets";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Cron, Function, use, type StackContext } from "sst/constructs";
import { CONTENT_EVENT_TYPES, CONTENT_SOURCE } from "../packages/core/src/content/schema";
import { SES_DETAIL_TYPES, SES_SOURCE } from "../packages/core/src/feedback/ses-event";
import { handlerPath } from "../packages/functions/src/routes";
import { sendTo, tableAccess } from "./access";
import { Api } from "./api";
import { Events } from "./events";
import { FUNCTION_BUNDLING, PIPELINE_HANDLERS } from "./handlers";
import { inboundUnsubscribe, inboundUnsubscribeEnabled, Mail } from "./mail";
import { CONTENT_MEMORY_MB, PLANNER_MAX_CONCURRENCY, PLANNER_MEMORY_MB, SENDER_BATCH_SIZE, SENDER_MAX_CONCURRENCY, SIGNUP_MAX_CONCURRENCY } from "./sizes";
import { RETENTION_SCHEDULE, RETENTION_TIMEOUT_MINUTES, retentionEnvironment } from "./retention";
import { FEEDBACK_RULE_ID, PLANNER_TIMEOUT_SECONDS, SENDER_LEASE_SECONDS, SENDER_TIMEOUT_SECONDS, SIGNUP_WORKER_TIMEOUT_SECONDS, Storage } from "./storage";

export { PLANNER_MAX_CONCURRENCY, SENDER_BATCH_SIZE, SENDER_MAX_CONCURRENCY } from "./sizes";

/** Retries of a content event after the content function failed (Lambda's async invocation, and EventBridge's delivery). */
export const CONTENT_RETRY_ATTEMPTS = 2;

/** Time zone of the digests: 08:00 in Stockholm, summer and winter. The CDK has no constant for it. */
export const DIGEST_TIME_ZONE = TimeZone.of("Europe/Stockholm");

/** When the digests are planned: daily, weekly on Monday, monthly on the first Monday, all at 08:00. */
export const DIGEST_SCHEDULES = {
  daily: "cron(0 8 * * ? *)",
  weekly: "cron(0 8 ? * MON *)",
  monthly: "cron(0 8 ? * MON#1 *)",
} as const;

/**
 * Everything that runs off events, queues and schedules rather than HTTP: content events from the
 * app's bus, the sign-up worker behind the sign-up queue, the planners behind the plan queue, the
 * sender behind the send queue, the sweeper that
 * re-enqueues stalled batches, and the digest schedules. MJML is loaded by the content function and
 * the planner only; the sender sends what they compiled.
 */
export function Pipeline({ app, stack }: StackContext) {
  const { table, sendQueue, deadLetterQueue, signUpQueue, signUpDeadLetterQueue, planQueue, planDeadLetterQueue, contentDeadLetterQueue, feedbackDeadLetterQueue, secrets } = use(Storage);
  const { bus } = use(Events);
  const { environment } = use(Api);
  // Each function is bound to the secrets its code reads and no others: the sender signs the links in
  // emails (TOKEN_KEYS), the feedback function suppresses addresses by their HMAC (ADDRESS_PEPPER).
  const { TOKEN_KEYS, ADDRESS_PEPPER } = secrets;
  const mail = use(Mail);

  const contentFunction = new Function(stack, "Content", {
    handler: handlerPath(PIPELINE_HANDLERS.content),
    nodejs: FUNCTION_BUNDLING,
    memorySize: `${CONTENT_MEMORY_MB} MB`,
    timeout: "5 minutes",
    environment: {
      ...environment,
      PLAN_QUEUE_URL: planQueue.queueUrl,
      SEND_QUEUE_URL: sendQueue.queueUrl,
      CONTENT_DLQ_URL: contentDeadLetterQueue.queueUrl,
    },
    bind: [],
    permissions: [...tableAccess(table, "write"), sendTo(planQueue.cdk.queue, sendQueue.cdk.queue, contentDeadLetterQueue)],
  });
  /**
   * An event rule whose target is `fn`: EventBridge retries delivery, Lambda's async invocation retries
   * a failing handler, and both dead-letter to `deadLetters` once retries are spent.
   */
  const eventTarget = (id: string, fn: Function, deadLetters: sqs.IQueue, rule: Omit<events.RuleProps, "targets">) => {
    fn.configureAsyncInvoke({ retryAttempts: CONTENT_RETRY_ATTEMPTS, onFailure: new SqsDestination(deadLetters) });
    new events.Rule(stack, id, {
      ...rule,
      targets: [
        new targets.LambdaFunction(fn, {
          retryAttempts: CONTENT_RETRY_ATTEMPTS,
          maxEventAge: Duration.hours(24),
          // Referenced, not owned: the queue's policy for EventBridge lives with the queue (stacks/storage.ts).
          deadLetterQueue: sqs.Queue.fromQueueAttributes(stack, `${id}DeadLetterQueueRef`, {
            queueArn: deadLetters.queueArn,
            queueUrl: deadLetters.queueUrl,
            queueName: deadLetters.queueName,
          }),
        }),
      ],
    });
  };
  eventTarget("ContentRule", contentFunction, contentDeadLetterQueue, {
    description: "Content events from the CMS, to the content function",
    eventBus: bus.cdk.eventBus,
    eventPattern: { source: [CONTENT_SOURCE], detailType: [...CONTENT_EVENT_TYPES] },
  });

  const feedbackFunction = new Function(stack, "Feedback", {
    handler: handlerPath(PIPELINE_HANDLERS.feedback),
    nodejs: FUNCTION_BUNDLING,
    timeout: "30 seconds",
    environment: { ...environment, FEEDBACK_DLQ_URL: feedbackDeadLetterQueue.queueUrl, ...autoPauseSettings() },
    bind: [ADDRESS_PEPPER],
    permissions: [...tableAccess(table, "write"), sendTo(feedbackDeadLetterQueue)],
  });
  // SES publishes only to the account's default bus, so the feedback rule is there, not on the app's bus.
  eventTarget(FEEDBACK_RULE_ID, feedbackFunction, feedbackDeadLetterQueue, {
    ruleName: app.logicalPrefixedName(FEEDBACK_RULE_ID),
    description: "SES bounces, complaints, deliveries, rejects, rendering failures and delays, to the feedback function",
    eventBus: events.EventBus.fromEventBusName(stack, "DefaultBusForFeedback", "default"),
    eventPattern: { source: [SES_SOURCE], detailType: [...SES_DETAIL_TYPES] },
  });

  const planner = new Function(stack, "Plan", {
    handler: handlerPath(PIPELINE_HANDLERS.plan),
    nodejs: FUNCTION_BUNDLING,
    memorySize: `${PLANNER_MEMORY_MB} MB`,
    timeout: PLANNER_TIMEOUT_SECONDS,
    environment: { ...environment, SEND_QUEUE_URL: sendQueue.queueUrl, PLAN_DLQ_URL: planDeadLetterQueue.queueUrl },
    bind: [],
    permissions: [...tableAccess(table, "write"), sendTo(sendQueue.cdk.queue, planDeadLetterQueue)],
  });
  planQueue.addConsumer(stack, {
    function: planner,
    cdk: { eventSource: { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: PLANNER_MAX_CONCURRENCY } },
  });

  const sender = new Function(stack, "SendMail", {
    handler: handlerPath(PIPELINE_HANDLERS.sender),
    nodejs: FUNCTION_BUNDLING,
    timeout: SENDER_TIMEOUT_SECONDS,
    environment: {
      ...environment,
      SEND_QUEUE_URL: sendQueue.queueUrl,
      SEND_DLQ_URL: deadLetterQueue.queueUrl,
      // The account's SES quota in recipients per second, shared by all senders through the table.
      SEND_RATE_PER_SECOND: process.env.SEND_RATE_PER_SECOND || "14",
      SEND_MODE: process.env.SEND_MODE || "bulk",
      SENDER_LEASE_SECONDS: String(SENDER_LEASE_SECONDS),
      // Immediate alerts go through their own configuration sets, and the sender drops those older than SES would deliver.
      CONFIGURATION_SET_ALERTS: mail.alertConfigurationSet.configurationSetName,
      CONFIGURATION_SET_ALERTS_TRACKING: mail.alertTrackingConfigurationSet.configurationSetName,
      ALERT_MAX_DELIVERY_SECONDS: String(mail.alertMaxDeliverySeconds),
    },
    bind: [TOKEN_KEYS],
    permissions: [
      ...tableAccess(table, "write"),
      // SendBulkEmail with inline template content is authorised on the identity and the configuration set only.
      new iam.PolicyStatement({
        actions: ["ses:SendEmail", "ses:SendBulkEmail"],
        resources: [mail.identity.emailIdentityArn, ...mail.configurationSetArns, ...mail.alertConfigurationSetArns],
      }),
      // Throttled batches come back later as a delayed copy; poison messages go to the DLQ with their reason.
      sendTo(sendQueue.cdk.queue, deadLetterQueue),
    ],
  });
  sendQueue.addConsumer(stack, {
    function: sender,
    cdk: {
      eventSource: {
        batchSize: SENDER_BATCH_SIZE,
        reportBatchItemFailures: true,
        // Keeps the number of senders small; the shared pacer in the table holds the account-wide rate.
        maxConcurrency: SENDER_MAX_CONCURRENCY,
      },
    },
  });

  // Decides sign-up requests: reads the request and the address's state, writes the subscriber and the
  // ledger, queues the confirmation or the preferences link. No secrets: the request holds the
  // address's HMAC; poison requests go to the DLQ with their reason.
  const signUpWorker = new Function(stack, "SignUp", {
    handler: handlerPath(PIPELINE_HANDLERS.signUp),
    nodejs: FUNCTION_BUNDLING,
    timeout: SIGNUP_WORKER_TIMEOUT_SECONDS,
    environment: { ...environment, SEND_QUEUE_URL: sendQueue.queueUrl, SIGNUP_DLQ_URL: signUpDeadLetterQueue.queueUrl },
    bind: [],
    permissions: [...tableAccess(table, "write"), sendTo(sendQueue.cdk.queue, signUpDeadLetterQueue)],
  });
  signUpQueue.addConsumer(stack, {
    function: signUpWorker,
    cdk: { eventSource: { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: SIGNUP_MAX_CONCURRENCY } },
  });

  const sweeper = new Function(stack, "Sweep", {
    handler: handlerPath(PIPELINE_HANDLERS.sweep),
    nodejs: FUNCTION_BUNDLING,
    timeout: "50 seconds",
    environment: { ...environment, SEND_QUEUE_URL: sendQueue.queueUrl },
    bind: [],
    permissions: [...tableAccess(table, "write"), sendTo(sendQueue.cdk.queue)],
  });
  new Cron(stack, "SweepEveryMinute", { schedule: "rate(1 minute)", job: sweeper });

  // The retention sweep (docs/retention.md): the table only, and the pepper for the audit pseudonyms.
  const retention = new Function(stack, "Retention", {
    handler: handlerPath(PIPELINE_HANDLERS.retention),
    nodejs: FUNCTION_BUNDLING,
    timeout: `${RETENTION_TIMEOUT_MINUTES} minutes`,
    environment: { ...environment, ...retentionEnvironment() },
    bind: [ADDRESS_PEPPER],
    permissions: [...tableAccess(table, "write")],
  });
  new Cron(stack, "RetentionDaily", { schedule: RETENTION_SCHEDULE, job: retention });

  // EventBridge Scheduler, not a UTC cron rule: 08:00 local time across daylight saving. The schedule
  // puts the job on the plan queue itself; no function runs just to enqueue it.
  for (const [cadence, expression] of Object.entries(DIGEST_SCHEDULES)) {
    new scheduler.Schedule(stack, `${cadence[0]!.toUpperCase()}${cadence.slice(1)}Digest`, {
      description: `Plans the ${cadence} digest`,
      schedule: scheduler.ScheduleExpression.expression(expression, DIGEST_TIME_ZONE),
      target: new schedulerTargets.SqsSendMessage(planQueue.cdk.queue, {
        input: scheduler.ScheduleTargetInput.fromObject({ kind: "plan-digest", cadence }),
        deadLetterQueue: planDeadLetterQueue,
        maxEventAge: Duration.hours(6),
      }),
    });
  }

  // Unsubscribe by email is optional: most clients use the https one-click URL (docs/deploy.md).
  const inbound = inboundUnsubscribeEnabled() ? inboundUnsubscribe(app, stack, { environment, bind: [TOKEN_KEYS, ADDRESS_PEPPER], table, deadLetters: feedbackDeadLetterQueue }) : undefined;

  return { contentFunction, feedbackFunction, planner, sender, sweeper, retention, inboundUnsubscribeFunction: inbound?.fn };
}

/** The announcements' automatic pause settings, where the deploying shell sets them (defaults in packages/core/src/config.ts). */
function autoPauseSettings(): Record<string, string> {
  const names = ["AUTO_PAUSE_MIN_SAMPLE", "AUTO_PAUSE_COMPLAINT_RATE", "AUTO_PAUSE_BOUNCE_RATE"];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}
