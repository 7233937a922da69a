import { AppError } from "@mission-mail/core/shared/errors";
import { runStatus } from "@mission-mail/core/digest/run-status";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { requireStaff } from "../lib/staff-auth";

/** GET /api/staff/runs?limit=20: the latest digest runs, newest first, each with its campaign's state and counters. */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  await requireStaff(event, d);
  const raw = event.queryStringParameters?.limit ?? "20";
  const limit = Number(raw);
  if (!/^\d{1,3}$/.test(raw) || limit < 1 || limit > 100) throw new AppError(400, "invalid_limit", "limit must be a whole number from 1 to 100.");
  const runs = await d.runs.listRuns(limit);
  const campaigns = await Promise.all(runs.map((r) => d.outbox.getCampaign(r.campaign)));
  return json(200, { runs: runs.map((r, i) => runStatus(r, campaigns[i])) });
});
