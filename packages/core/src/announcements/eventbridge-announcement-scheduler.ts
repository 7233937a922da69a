import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient } from "@aws-sdk/client-scheduler";
import { announcementScheduleName, stockholmWallString } from "./schedule-time";
import { STOCKHOLM_TIME_ZONE } from "../shared/stockholm-time";
import type { AnnouncementScheduler } from "./ports";
import type { PlanJob } from "../shared/jobs";

/** Where one-off schedules go and what they may do (from the stack's outputs, via configuration). */
export interface SchedulerSettings {
  region: string;
  /** The schedule group that holds announcement schedules (the role may only touch that group). */
  group: string;
  /** The role EventBridge Scheduler assumes to send to the plan queue. */
  roleArn: string;
  planQueueArn: string;
  planDeadLetterArn: string;
}

/**
 * One-off EventBridge Scheduler schedules for announcements: `at(yyyy-mm-ddThh:mm:ss)` in
 * Europe/Stockholm, whose target puts `{"kind":"plan-announcement","id","at"}` on the plan queue and
 * which deletes itself once it has run. Creating the same schedule again (a retried request) finds it
 * there and is done; deleting one that has run or was never made is done too.
 */
export class EventBridgeAnnouncementScheduler implements AnnouncementScheduler {
  private readonly client: SchedulerClient;

  constructor(private readonly settings: SchedulerSettings) {
    this.client = new SchedulerClient({ region: settings.region });
  }

  async schedule(announcementId: string, atMs: number): Promise<void> {
    const job: PlanJob = { kind: "plan-announcement", id: announcementId, at: atMs };
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: announcementScheduleName(announcementId, atMs),
          GroupName: this.settings.group,
          Description: `Sends announcement ${announcementId}`,
          ScheduleExpression: `at(${stockholmWallString(atMs, true)})`,
          ScheduleExpressionTimezone: STOCKHOLM_TIME_ZONE,
          FlexibleTimeWindow: { Mode: "OFF" },
          ActionAfterCompletion: "DELETE",
          State: "ENABLED",
          Target: {
            Arn: this.settings.planQueueArn,
            RoleArn: this.settings.roleArn,
            Input: JSON.stringify(job),
            DeadLetterConfig: { Arn: this.settings.planDeadLetterArn },
            RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 185 },
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
    }
  }

  async unschedule(announcementId: string, atMs: number): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: announcementScheduleName(announcementId, atMs), GroupName: this.settings.group }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
