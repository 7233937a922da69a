import * as addMission from "../api/add-mission";
import * as cancelAnnouncement from "../api/cancel-announcement";
import * as createAnnouncement from "../api/create-announcement";
import * as editAnnouncement from "../api/edit-announcement";
import * as editMission from "../api/edit-mission";
import * as exportSubscribers from "../api/export-subscribers";
import * as getAnnouncement from "../api/get-announcement";
import * as getMission from "../api/get-mission";
import * as getRun from "../api/get-run";
import * as getStats from "../api/get-stats";
import * as importSubscribers from "../api/import-subscribers";
import * as listAnnouncements from "../api/list-announcements";
import * as listAudit from "../api/list-audit";
import * as listMissions from "../api/list-missions";
import * as listRuns from "../api/list-runs";
import * as pauseAnnouncement from "../api/pause-announcement";
import * as previewAnnouncement from "../api/preview-announcement";
import * as previewDraftAnnouncement from "../api/preview-draft-announcement";
import * as resumeAnnouncement from "../api/resume-announcement";
import * as retireMission from "../api/retire-mission";
import * as runDigest from "../api/run-digest";
import * as sendAnnouncement from "../api/send-announcement";
import * as staffConsole from "../api/staff-console";
import * as testAnnouncement from "../api/test-announcement";
import { audienceFunction } from "../lib/route-dispatch";

/**
 * The staff function: the console's page and sign-in callback (public, they load before sign-in) and
 * the staff API (behind the JWT authorizer; each route checks the staff group too).
 */
export const { handler, route } = audienceFunction("staff", {
  "api/staff-console": staffConsole,
  "api/run-digest": runDigest,
  "api/list-runs": listRuns,
  "api/get-run": getRun,
  "api/get-stats": getStats,
  "api/list-audit": listAudit,
  "api/list-announcements": listAnnouncements,
  "api/create-announcement": createAnnouncement,
  "api/preview-draft-announcement": previewDraftAnnouncement,
  "api/get-announcement": getAnnouncement,
  "api/edit-announcement": editAnnouncement,
  "api/preview-announcement": previewAnnouncement,
  "api/test-announcement": testAnnouncement,
  "api/send-announcement": sendAnnouncement,
  "api/pause-announcement": pauseAnnouncement,
  "api/resume-announcement": resumeAnnouncement,
  "api/cancel-announcement": cancelAnnouncement,
  "api/list-missions": listMissions,
  "api/add-mission": addMission,
  "api/get-mission": getMission,
  "api/edit-mission": editMission,
  "api/retire-mission": retireMission,
  "api/import-subscribers": importSubscribers,
  "api/export-subscribers": exportSubscribers,
});
