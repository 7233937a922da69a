import { digestCampaignKey } from "@mission-mail/core/digest/plan-digest";
import { digestPeriod } from "@mission-mail/core/digest/calendar";
import { recordStaffAction } from "@mission-mail/core/audit/audit-log";
import { AppError } from "@mission-mail/core/shared/errors";
import { deps } from "../lib/deps";
import { RunDigestRequest } from "../lib/digest-run-request";
import { httpHandler, json, jsonBody } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/digests/run `{"cadence"}`: plans the current period's digest now, as the schedule
 * would. Answers 202 with a run id to poll; planning happens on the plan queue. Running a period
 * again plans only subscribers not yet planned for it. The run is recorded in the audit log, with who
 * started it, before it is queued.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const parsed = RunDigestRequest.safeParse(jsonBody(event));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    throw new AppError(400, "invalid_request", fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields);
  }
  const { cadence } = parsed.data;
  const runId = d.ids.next();
  const period = digestPeriod(cadence, d.clock.now());
  const campaign = digestCampaignKey(cadence, period);
  await d.runs.putRun({ runId, cadence, period, campaign, state: "queued", planned: 0, empty: 0, createdAt: new Date(d.clock.now()).toISOString() });
  await recordStaffAction(d, staff, "digest.run", runId, { cadence, period, campaign });
  await d.planQueue.enqueue({ kind: "plan-digest", cadence, runId, period });
  return json(202, { runId, campaign, status: `/api/staff/runs/${runId}` });
});
