import * as addMission from "../api/staff/add-mission";
import * as approveAnnouncement from "../api/staff/approve-announcement";
import * as checkAnnouncement from "../api/staff/check-announcement";
import * as cancelAnnouncement from "../api/staff/cancel-announcement";
import * as createAnnouncement from "../api/staff/create-announcement";
import * as editAnnouncement from "../api/staff/edit-announcement";
import * as editMission from "../api/staff/edit-mission";
import * as exportSubscribers from "../api/staff/export-subscribers";
import * as migrateCadences from "../api/staff/migrate-cadences";
import * as getAnnouncement from "../api/staff/get-announcement";
import * as getMission from "../api/staff/get-mission";
import * as getRun from "../api/staff/get-run";
import * as getStats from "../api/staff/get-stats";
import * as listUnsubscribeReasons from "../api/staff/list-unsubscribe-reasons";
import * as importSubscribers from "../api/staff/import-subscribers";
import * as listAnnouncements from "../api/staff/list-announcements";
import * as listAudit from "../api/staff/list-audit";
import * as listMissions from "../api/staff/list-missions";
import * as listRuns from "../api/staff/list-runs";
import * as pauseAnnouncement from "../api/staff/pause-announcement";
import * as previewAnnouncement from "../api/staff/preview-announcement";
import * as previewDraftAnnouncement from "../api/staff/preview-draft-announcement";
import * as refuseAnnouncement from "../api/staff/refuse-announcement";
import * as resumeAnnouncement from "../api/staff/resume-announcement";
import * as resumeRun from "../api/staff/resume-run";
import * as cancelRun from "../api/staff/cancel-run";
import * as retireMission from "../api/staff/retire-mission";
import * as runDigest from "../api/staff/run-digest";
import * as sendAnnouncement from "../api/staff/send-announcement";
import * as staffConsole from "../api/staff/staff-console";
import * as testAnnouncement from "../api/staff/test-announcement";
import { audienceFunction } from "../lib/route-dispatch";

/**
 * The staff function: the console's page and sign-in callback (public, they load before sign-in) and
 * the staff API (behind the JWT authorizer; each route checks the role the route table gives it).
 */
export const { handler, route } = audienceFunction("staff", {
  "api/staff/staff-console": staffConsole,
  "api/staff/run-digest": runDigest,
  "api/staff/list-runs": listRuns,
  "api/staff/get-run": getRun,
  "api/staff/get-stats": getStats,
  "api/staff/list-unsubscribe-reasons": listUnsubscribeReasons,
  "api/staff/list-audit": listAudit,
  "api/staff/list-announcements": listAnnouncements,
  "api/staff/create-announcement": createAnnouncement,
  "api/staff/preview-draft-announcement": previewDraftAnnouncement,
  "api/staff/get-announcement": getAnnouncement,
  "api/staff/edit-announcement": editAnnouncement,
  "api/staff/preview-announcement": previewAnnouncement,
  "api/staff/test-announcement": testAnnouncement,
  "api/staff/check-announcement": checkAnnouncement,
  "api/staff/approve-announcement": approveAnnouncement,
  "api/staff/refuse-announcement": refuseAnnouncement,
  "api/staff/send-announcement": sendAnnouncement,
  "api/staff/pause-announcement": pauseAnnouncement,
  "api/staff/resume-announcement": resumeAnnouncement,
  "api/staff/resume-run": resumeRun,
  "api/staff/cancel-run": cancelRun,
  "api/staff/cancel-announcement": cancelAnnouncement,
  "api/staff/list-missions": listMissions,
  "api/staff/add-mission": addMission,
  "api/staff/get-mission": getMission,
  "api/staff/edit-mission": editMission,
  "api/staff/retire-mission": retireMission,
  "api/staff/import-subscribers": importSubscribers,
  "api/staff/export-subscribers": exportSubscribers,
  "api/staff/migrate-cadences": migrateCadences,
});
