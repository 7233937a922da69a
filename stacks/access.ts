import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { Table } from "sst/constructs";
import type { RouteSpec } from "../packages/functions/src/routes";

/**
 * Least-privilege building blocks the stateless stacks share: table access by level, sending to
 * named queues, and the configuration every function reads. Not a stack.
 */

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

/** The statements for a level of table access: none, read, or read and write. */
export function tableAccess(table: Table, access: RouteSpec["table"]): iam.PolicyStatement[] {
  if (access === "none") return [];
  const actions = access === "read" ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
  return [new iam.PolicyStatement({ actions, resources: [table.tableArn, `${table.tableArn}/index/*`] })];
}

/** SendMessage on exactly these queues; it also authorises SendMessageBatch. */
export const sendTo = (...queues: sqs.IQueue[]): iam.PolicyStatement =>
  new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: queues.map((q) => q.queueArn) });
