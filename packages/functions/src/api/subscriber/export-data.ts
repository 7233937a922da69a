import { exportData } from "@mission-mail/core/subscription/data-rights";
import { httpRoute, json, type HttpEvent } from "../../lib/http";
import { tokenParam } from "../../lib/pages";
import { selfService } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/**
 * GET /api/me/export?token=<data-rights token>: everything stored about the person (subscription,
 * consent ledger, delivery history) as JSON; `download=1` makes it a file.
 */
export const route = httpRoute(async (event, w) => {
  const data = await exportData(selfService(w), tokenParam(event));
  const download: Record<string, string> = event.queryStringParameters?.download === "1" ? { "content-disposition": 'attachment; filename="missions-my-data.json"' } : {};
  return json(200, data, download);
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
