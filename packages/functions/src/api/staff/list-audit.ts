import { decodeAuditCursor } from "@mission-mail/core/audit/audit-log";
import { httpRoute, json, pageParams, type HttpEvent } from "../../lib/http";
import { auditLog } from "../../wiring/audit";
import { requireStaff } from "../../wiring/staff";
import { lambdaWiring } from "../../wiring/lambda";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/**
 * GET /api/staff/audit?limit=&before=: the audit log of staff actions, newest first. Each entry says
 * who (sub and address), what (action, target id, key fields) and when. `next`, when present, is the
 * `before` of the following page.
 */
export const route = httpRoute(async (event, w) => {
  await requireStaff(event, w);
  const { limit, cursor: before } = pageParams(event, { fallback: DEFAULT_LIMIT, max: MAX_LIMIT, validCursor: (c) => !!decodeAuditCursor(c) });
  const page = await auditLog(w).list({ limit, ...(before !== undefined ? { before } : {}) });
  return json(200, page.next ? { entries: page.entries, next: page.next } : { entries: page.entries });
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
