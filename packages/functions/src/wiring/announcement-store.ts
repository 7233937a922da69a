import { DynamoAnnouncements } from "@mission-mail/core/announcements/dynamo-announcements";
import { perWiring } from "./wiring";

/**
 * Staff announcements, and control over the campaigns they become. On its own, so that the SES
 * feedback function (which may pause one) bundles neither the scheduler's client nor MJML.
 */
export const announcementStore = perWiring((w) => new DynamoAnnouncements(w.platform.db, w.config.TABLE_NAME));
