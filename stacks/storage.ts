import { Duration, RemovalPolicy } from "aws-cdk-lib/core";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Config, Queue, Table, type StackContext } from "sst/constructs";
import { isProdStage } from "./stage";

/** Timeout of the send queue's consumer (stacks/api.ts); the queue's visibility timeout derives from it. */
export const SENDER_TIMEOUT_SECONDS = 30;

/** Deliveries before a message counts as poison and moves to the dead-letter queue. */
export const SEND_MAX_RECEIVE_COUNT = 5;

/**
 * The stateful resources: the single table, the send queue with its dead-letter queue, and the
 * secrets. Nothing here runs code, so functions can change without touching data.
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

  const deadLetterQueue = new sqs.Queue(stack, "SendDeadLetterQueue", {
    queueName: app.logicalPrefixedName("SendDeadLetterQueue"),
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
    removalPolicy,
  });

  const sendQueue = new Queue(stack, "SendQueue", {
    cdk: {
      queue: {
        // At least 6x the consumer's timeout, as AWS recommends for Lambda event sources.
        visibilityTimeout: Duration.seconds(6 * SENDER_TIMEOUT_SECONDS),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: SEND_MAX_RECEIVE_COUNT },
        enforceSSL: true,
        removalPolicy,
      },
    },
  });

  const secrets = Config.Secret.create(stack, "TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT");

  stack.addOutputs({ TableName: table.tableName, SendQueueUrl: sendQueue.queueUrl });

  return { table, sendQueue, deadLetterQueue, secrets };
}

