import { testSendAnnouncement } from "@mission-mail/core/announcements/test-send";
import { announcementBody, announcementId } from "../lib/announcements";
import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";
import { compileAnnouncement } from "../lib/planning";
import { requireStaff } from "../lib/staff-auth";

/**
 * POST /api/staff/announcements/{id}/test `{ "to": [at most 10 addresses], "languages"?: ["sv","en"] }`:
 * sends a visibly marked test ("[TEST]" subject, a banner) to those addresses only, at once, within
 * the account's send rate. Answers `{ sent, suppressed, failed, languages }`. The addresses are never
 * stored, queued or logged.
 */
export const handler = httpHandler(async (event) => {
  const d = await deps();
  const staff = await requireStaff(event, d);
  const cfg = d.config;
  const result = await testSendAnnouncement(
    {
      announcements: d.announcements,
      store: d.store,
      mailer: d.mailer,
      pacer: d.pacer,
      audit: d.audit,
      clock: d.clock,
      ids: d.ids,
      compile: compileAnnouncement,
      publicUrl: cfg.PUBLIC_URL,
      addressPepper: cfg.ADDRESS_PEPPER,
      ...(cfg.CONFIGURATION_SET ? { configurationSet: cfg.CONFIGURATION_SET } : {}),
    },
    staff,
    announcementId(event),
    announcementBody(event),
  );
  return json(200, result);
});
