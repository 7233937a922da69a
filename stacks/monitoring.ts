import { Duration, Stack } from "aws-cdk-lib/core";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { use, type StackContext } from "sst/constructs";
import { Pipeline } from "./pipeline";

/** SES reviews an account whose complaint rate reaches 0.1%; the alarm fires there, before SES acts. */
export const COMPLAINT_RATE_ALARM_THRESHOLD = 0.001;

/** SES reviews an account at a 5% bounce rate; the alarm fires at 2%, well before that. */
export const BOUNCE_RATE_ALARM_THRESHOLD = 0.02;

/** Dead-letter queues are named so (`SendDeadLetterQueue`, …); every other queue has one (tests/stacks/production.test.ts). */
export const isDeadLetterQueue = (c: IConstruct): c is sqs.Queue => c instanceof sqs.Queue && c.node.id.endsWith("DeadLetterQueue");

/** Every dead-letter queue in the app, in the order the stacks made them. */
export function deadLetterQueues(root: IConstruct): sqs.Queue[] {
  return root.node.findAll().filter(isDeadLetterQueue);
}

/**
 * The alarms someone must act on, each described in docs/deploy.md, with one SNS topic for their
 * actions (`ALARM_EMAIL` at deploy subscribes an address to it):
 * - a message in any dead-letter queue: something failed for good and waits to be looked at;
 * - errors of the sender function: a crash is the one moment a batch can be sent twice;
 * - errors of the scheduled jobs: the daily retention sweep (personal data would outlive its period)
 *   and the outbox sweeper failing run after run (stuck batches and due schedules would wait);
 * - the account's SES complaint rate at 0.1% and bounce rate at 2%: list hygiene, before SES itself
 *   reviews or pauses the account.
 */
export function Monitoring({ app, stack }: StackContext) {
  const { sender, sweeper, retention } = use(Pipeline);

  const topic = new sns.Topic(stack, "AlarmTopic", {
    topicName: app.logicalPrefixedName("alarms"),
    displayName: `Mission Mail alarms (${app.stage})`,
    enforceSSL: true,
  });
  if (process.env.ALARM_EMAIL) topic.addSubscription(new subscriptions.EmailSubscription(process.env.ALARM_EMAIL));
  const notify = new cloudwatchActions.SnsAction(topic);

  const alarm = (id: string, props: cloudwatch.AlarmProps) => {
    const a = new cloudwatch.Alarm(stack, id, { alarmName: app.logicalPrefixedName(id), treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
    a.addAlarmAction(notify);
    a.addOkAction(notify);
    return a;
  };

  const deadLetterAlarms = deadLetterQueues(app)
    .filter((queue) => Stack.of(queue) !== stack)
    .map((queue) =>
      alarm(`${queue.node.id}Depth`, {
        alarmDescription: `Messages are waiting in ${queue.node.id} (stack ${Stack.of(queue).stackName}): each failed for good, with its reason in the "reason" message attribute. See "Alarms" in docs/deploy.md.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      }),
    );

  /** A function's errors (exceptions and timeouts) summed over `period`, at or above `threshold`. */
  const errorsAlarm = (id: string, description: string, fn: { metricErrors(props: cloudwatch.MetricOptions): cloudwatch.Metric }, period: Duration, threshold: number) =>
    alarm(id, {
      alarmDescription: `${description} See "Alarms" in docs/deploy.md.`,
      metric: fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

  const senderErrors = errorsAlarm(
    "SenderErrors",
    "The sender function failed (an exception or a timeout). A crash after SES accepted a batch is the one case that can send that batch twice.",
    sender,
    Duration.minutes(5),
    1,
  );
  const retentionErrors = errorsAlarm(
    "RetentionErrors",
    "The daily retention sweep failed (an exception or a timeout). Data past its retention period stays until a run succeeds; the next day's run picks up where it stopped.",
    retention,
    Duration.hours(1),
    1,
  );
  // The sweeper runs every minute: one failed run is retried by the next, three in 15 minutes are not a blip.
  const sweepErrors = errorsAlarm(
    "SweepErrors",
    "The outbox sweeper failed in 3 runs of 15. Batches whose sender died, paused alerts and due scheduled work wait until it runs again.",
    sweeper,
    Duration.minutes(15),
    3,
  );

  /** The account-wide reputation rates SES publishes (fractions: 0.001 is 0.1%); SES enforces its limits on these. */
  const reputation = (metricName: string) =>
    new cloudwatch.Metric({ namespace: "AWS/SES", metricName, statistic: cloudwatch.Stats.MAXIMUM, period: Duration.hours(1) });

  const complaintRate = alarm("SesComplaintRate", {
    alarmDescription: "The account's SES complaint rate reached 0.1%. Pause announcements and check which lists and campaigns draw complaints. See \"Alarms\" in docs/deploy.md.",
    metric: reputation("Reputation.ComplaintRate"),
    threshold: COMPLAINT_RATE_ALARM_THRESHOLD,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
  });

  const bounceRate = alarm("SesBounceRate", {
    alarmDescription: "The account's SES bounce rate reached 2%. Check imports and old addresses before SES reviews the account at 5%. See \"Alarms\" in docs/deploy.md.",
    metric: reputation("Reputation.BounceRate"),
    threshold: BOUNCE_RATE_ALARM_THRESHOLD,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
  });

  stack.addOutputs({ AlarmTopicArn: topic.topicArn });

  return { topic, deadLetterAlarms, senderErrors, retentionErrors, sweepErrors, complaintRate, bounceRate };
}
