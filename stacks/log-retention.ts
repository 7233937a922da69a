import { CfnResource } from "aws-cdk-lib/core";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";

/** How long every function's logs are kept; the app's functions get the same through `logRetention` in sst.config.ts. */
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** Whether a function already has its logs' retention set: SST's `logRetention` (CDK's LogRetention) or its own log group. */
function hasRetention(fn: CfnResource): boolean {
  const owner = fn.node.scope;
  if (owner?.node.tryFindChild("LogRetention") instanceof logs.LogRetention) return true;
  return fn instanceof lambda.CfnFunction && fn.loggingConfig !== undefined;
}

/**
 * Gives every Lambda function in the app that has no log retention of its own a log group that keeps
 * its logs for FUNCTION_LOG_RETENTION. These are the functions the app does not declare: SST's
 * custom-resource handler in each stack and CDK's log-retention handler. Without this, their log
 * groups would keep everything for ever. Call it after every stack is made.
 */
export function retainLogsOfEveryFunction(root: IConstruct): void {
  const functions = root.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === "AWS::Lambda::Function")
    .filter((fn) => !hasRetention(fn));
  for (const fn of functions) {
    const owner = fn.node.scope!;
    const logGroup = new logs.LogGroup(owner, "LogGroup", { retention: FUNCTION_LOG_RETENTION });
    if (fn instanceof lambda.CfnFunction) fn.loggingConfig = { logGroup: logGroup.logGroupName };
    else fn.addPropertyOverride("LoggingConfig.LogGroup", logGroup.logGroupName);
  }
}
