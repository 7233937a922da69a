import { exportData } from "@mission-mail/core/subscription/data-rights";
import { deps, selfService } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { tokenParam } from "../lib/pages";

/**
 * GET /api/me/export?token=<data-rights token>: everything stored about the person (subscription,
 * consent ledger, delivery history) as JSON; `download=1` makes it a file.
 */
export const handler = httpHandler(async (event) => {
  const data = await exportData(selfService(await deps()), tokenParam(event));
  const download: Record<string, string> = event.queryStringParameters?.download === "1" ? { "content-disposition": 'attachment; filename="missions-my-data.json"' } : {};
  return json(200, data, download);
});
