import { audienceFunction } from "../lib/route-dispatch";

/**
 * The staff function: the console's page and sign-in callback (public, they load before sign-in) and
 * the staff API (behind the JWT authorizer; each route checks the role the route table gives it).
 */
export const { handler, route } = audienceFunction("staff", {
  "api/staff/staff-console": () => import("../api/staff/staff-console"),
  "api/staff/run-digest": () => import("../api/staff/run-digest"),
  "api/staff/list-runs": () => import("../api/staff/list-runs"),
  "api/staff/get-run": () => import("../api/staff/get-run"),
  "api/staff/get-stats": () => import("../api/staff/get-stats"),
  "api/staff/get-health": () => import("../api/staff/get-health"),
  "api/staff/list-unsubscribe-reasons": () => import("../api/staff/list-unsubscribe-reasons"),
  "api/staff/list-audit": () => import("../api/staff/list-audit"),
  "api/staff/list-announcements": () => import("../api/staff/list-announcements"),
  "api/staff/create-announcement": () => import("../api/staff/create-announcement"),
  "api/staff/preview-draft-announcement": () => import("../api/staff/preview-draft-announcement"),
  "api/staff/get-announcement": () => import("../api/staff/get-announcement"),
  "api/staff/edit-announcement": () => import("../api/staff/edit-announcement"),
  "api/staff/preview-announcement": () => import("../api/staff/preview-announcement"),
  "api/staff/test-announcement": () => import("../api/staff/test-announcement"),
  "api/staff/check-announcement": () => import("../api/staff/check-announcement"),
  "api/staff/approve-announcement": () => import("../api/staff/approve-announcement"),
  "api/staff/refuse-announcement": () => import("../api/staff/refuse-announcement"),
  "api/staff/send-announcement": () => import("../api/staff/send-announcement"),
  "api/staff/pause-announcement": () => import("../api/staff/pause-announcement"),
  "api/staff/resume-announcement": () => import("../api/staff/resume-announcement"),
  "api/staff/resume-run": () => import("../api/staff/resume-run"),
  "api/staff/cancel-run": () => import("../api/staff/cancel-run"),
  "api/staff/cancel-announcement": () => import("../api/staff/cancel-announcement"),
  "api/staff/list-missions": () => import("../api/staff/list-missions"),
  "api/staff/add-mission": () => import("../api/staff/add-mission"),
  "api/staff/get-mission": () => import("../api/staff/get-mission"),
  "api/staff/edit-mission": () => import("../api/staff/edit-mission"),
  "api/staff/retire-mission": () => import("../api/staff/retire-mission"),
  "api/staff/import-subscribers": () => import("../api/staff/import-subscribers"),
  "api/staff/export-subscribers": () => import("../api/staff/export-subscribers"),
  "api/staff/migrate-cadences": () => import("../api/staff/migrate-cadences"),
});
