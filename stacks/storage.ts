import { Duration, RemovalPolicy } from "aws-cdk-lib/core";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Config, Queue, Table, type StackContext } from "sst/constructs";
import { retentionConfig } from "../packages/core/src/platform/config";
import { BUS_ID } from "./events";
import { retentionEnvironment } from "./retention";
import { isProdStage } from "./stage";

/** Timeout of the send queue's consumer (stacks/pipeline.ts); the queue's visibility timeout derives from it. */
export const SENDER_TIMEOUT_SECONDS = 60;

/** The sender's lease on a campaign batch: longer than the sender can run, so only a dead sender's lease expires. */
export const SENDER_LEASE_SECONDS = 2 * SENDER_TIMEOUT_SECONDS;

/** Timeout of the plan queue's consumer: a digest for 100,000 subscribers, MJML compiled per variant. */
export const PLANNER_TIMEOUT_SECONDS = 10 * 60;

/** Timeout of the sign-up queue's consumer: a few table reads and writes and one enqueue per request. */
export const SIGNUP_WORKER_TIMEOUT_SECONDS = 30;

/** Deliveries before a sign-up request counts as poison; deciding one again is idempotent. */
export const SIGNUP_MAX_RECEIVE_COUNT = 5;

/** Deliveries before a send message counts as poison and moves to the dead-letter queue. */
export const SEND_MAX_RECEIVE_COUNT = 5;

/** Deliveries before a planning job counts as poison; re-planning is idempotent, but each run is long. */
export const PLAN_MAX_RECEIVE_COUNT = 3;

/**
 * How long dead letters (which may hold addresses) wait for someone to look at them:
 * RETENTION_DEAD_LETTER_DAYS, 14 by default (SQS's maximum), checked at deploy like the functions will.
 */
const deadLetterRetention = () => Duration.days(retentionConfig(retentionEnvironment()).RETENTION_DEAD_LETTER_DAYS);

/** The id of the SES feedback rule on the account's default bus; its name is derived from it, so the DLQ's policy can name it. */
export const FEEDBACK_RULE_ID = "SesFeedbackRule";

/** AWS's recommendation for Lambda event sources: visibility of at least 6x the consumer's timeout. */
const visibilityFor = (consumerTimeoutSeconds: number) => Duration.seconds(6 * consumerTimeoutSeconds);

/**
 * The stateful resources: the single table, the send, sign-up and plan queues with their dead-letter queues,
 * the content events' dead-letter queue, and the secrets. Nothing here runs code, so functions can
 * change without touching data.
 */
export function Storage({ app, stack }: StackContext) {
  const prod = isProdStage(app.stage);
  const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

  const table = new Table(stack, "Table", {
    fields: { PK: "string", SK: "string", GSI1PK: "string", GSI1SK: "string" },
    primaryIndex: { partitionKey: "PK", sortKey: "SK" },
    globalIndexes: { GSI1: { partitionKey: "GSI1PK", sortKey: "GSI1SK" } },
    timeToLiveAttribute: "expiresAt",
    cdk: {
      table: {
        // SST passes the deprecated `pointInTimeRecovery: true`; CDK refuses both forms at once, so
        // unset it and state PITR explicitly. Backups age out on their own 35-day window.
        pointInTimeRecovery: undefined,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
        deletionProtection: prod,
        removalPolicy,
      },
    },
  });

  const deadLetterQueue = (id: string) =>
    new sqs.Queue(stack, id, { queueName: app.logicalPrefixedName(id), retentionPeriod: deadLetterRetention(), enforceSSL: true, removalPolicy });

  /** A work queue with its dead-letter queue, visible again only after 6 × its consumer's timeout. */
  const workQueue = (id: string, consumerTimeoutSeconds: number, deadLetters: sqs.Queue, maxReceiveCount: number) =>
    new Queue(stack, id, {
      cdk: {
        queue: {
          visibilityTimeout: visibilityFor(consumerTimeoutSeconds),
          retentionPeriod: Duration.days(4),
          deadLetterQueue: { queue: deadLetters, maxReceiveCount },
          enforceSSL: true,
          removalPolicy,
        },
      },
    });

  const ruleArn = (name: string) => stack.formatArn({ service: "events", resource: "rule", resourceName: name });
  /** Lets EventBridge rules matching `condition` dead-letter undeliverable events into `queue`. */
  const allowRules = (queue: sqs.Queue, sid: string, condition: Record<string, unknown>) =>
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ServicePrincipal("events.amazonaws.com")],
        actions: ["sqs:SendMessage"],
        resources: [queue.queueArn],
        conditions: condition,
      }),
    );

  const sendDeadLetterQueue = deadLetterQueue("SendDeadLetterQueue");
  const sendQueue = workQueue("SendQueue", SENDER_TIMEOUT_SECONDS, sendDeadLetterQueue, SEND_MAX_RECEIVE_COUNT);
  // Sign-up requests (ids only), decided off the request path so that the answer's timing cannot tell
  // whether an address is subscribed.
  const signUpDeadLetterQueue = deadLetterQueue("SignUpDeadLetterQueue");
  const signUpQueue = workQueue("SignUpQueue", SIGNUP_WORKER_TIMEOUT_SECONDS, signUpDeadLetterQueue, SIGNUP_MAX_RECEIVE_COUNT);
  const planDeadLetterQueue = deadLetterQueue("PlanDeadLetterQueue");
  const planQueue = workQueue("PlanQueue", PLANNER_TIMEOUT_SECONDS, planDeadLetterQueue, PLAN_MAX_RECEIVE_COUNT);

  // Poison content events land here three ways: the content function puts them with their reason,
  // Lambda's async invocation sends events that failed every retry, and EventBridge sends events it
  // could not deliver. The last needs a queue policy. Scoping it to the one rule's ARN would make this
  // stack depend on the pipeline stack (a cycle), so it names every rule on the app's bus instead;
  // the bus name is deterministic (SST names a bus after the stage, the app and its id).
  const contentDeadLetterQueue = deadLetterQueue("ContentDeadLetterQueue");
  allowRules(contentDeadLetterQueue, "AllowAppBusRules", { ArnLike: { "aws:SourceArn": ruleArn(`${app.logicalPrefixedName(BUS_ID)}/*`) } });

  // Malformed SES events (put by the feedback function) and events that failed every retry. SES can
  // only publish to the default bus, so the feedback rule lives there, under a name fixed here.
  const feedbackDeadLetterQueue = deadLetterQueue("FeedbackDeadLetterQueue");
  allowRules(feedbackDeadLetterQueue, "AllowFeedbackRule", { ArnEquals: { "aws:SourceArn": ruleArn(app.logicalPrefixedName(FEEDBACK_RULE_ID)) } });

  const secrets = Config.Secret.create(stack, "TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT", "WEBHOOK_SECRET");

  stack.addOutputs({ TableName: table.tableName, SendQueueUrl: sendQueue.queueUrl, PlanQueueUrl: planQueue.queueUrl });

  return { table, sendQueue, deadLetterQueue: sendDeadLetterQueue, signUpQueue, signUpDeadLetterQueue, planQueue, planDeadLetterQueue, contentDeadLetterQueue, feedbackDeadLetterQueue, secrets };
}
