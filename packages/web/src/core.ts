/**
 * Everything the pages take from the domain, in one place: the domain's modules are being regrouped,
 * and the pages should follow that with one edit here, not one per page.
 */
export type { Config } from "@mission-mail/core/platform/config";
export type { ContentItem, ContentKind, Seminar } from "@mission-mail/core/content/schema";
export { normaliseUrl } from "@mission-mail/core/content/url";
export { EMAIL_TIME_ZONE, formatDate, formatMonth, formatSeminarTime } from "@mission-mail/core/emails/format-date";
export type { DeadLetterName } from "@mission-mail/core/health/ports";
export type { FieldProblem } from "@mission-mail/core/shared/errors";
export type { Mission } from "@mission-mail/core/shared/missions";
export type { PreferencesView } from "@mission-mail/core/subscription/preferences";
export { CADENCES, LANGUAGES, TOPICS, type Cadence, type Language, type Topic } from "@mission-mail/core/shared/vocabulary";
export { escapeHtml } from "@mission-mail/core/shared/escape";
