import * as z from "zod";
import type { AnnouncementPreview as AnnouncementPreviewType } from "@mission-mail/core/announcements/announcement";
import { AnnouncementEdit, AnnouncementInput, AnnouncementPreviewInput, ApprovalInput, SendInput, TestSendInput } from "@mission-mail/core/announcements/schema";
import { CHECK_IDS } from "@mission-mail/core/announcements/checks";
import type { TestSendResult as TestSendResultType } from "@mission-mail/core/announcements/test-send";
import type { currentPolicy } from "@mission-mail/core/consent/policies";
import { ContentEvent } from "@mission-mail/core/content/schema";
import type { RunStatus as RunStatusType } from "@mission-mail/core/digest/run-status";
import type { RunControlOutcome as RunControlOutcomeType } from "@mission-mail/core/digest/runs";
import { DEAD_LETTER_QUEUES } from "@mission-mail/core/health/ports";
import type { ServiceHealth as ServiceHealthType } from "@mission-mail/core/health/service-health";
import { MissionEdit, NewMission, type MissionView as MissionViewType } from "@mission-mail/core/missions/manage-missions";
import type { requestSignUp } from "@mission-mail/core/subscription/subscribe";
import { DataRightsRequest } from "@mission-mail/core/subscription/data-rights";
import { ImportRequest } from "@mission-mail/core/subscription/import-subscribers";
import { MigrationRequest, type MigrationPage as MigrationPageType } from "@mission-mail/core/subscription/migrate-cadences";
import type { PreferencesView as PreferencesViewType } from "@mission-mail/core/subscription/preferences";
import { CADENCES, LANGUAGES, TOPICS } from "@mission-mail/core/shared/vocabulary";
import { PreferencesUpdate, SubscribeRequest } from "@mission-mail/core/subscription/schema";
import { DEPARTURE_REASONS, DEPARTURE_TEXT_MAX } from "@mission-mail/core/departures/departure-reasons";
import { RunDigestRequest } from "../lib/digest-run-request";

/**
 * The schemas the OpenAPI document names under `components.schemas`. Request bodies are the zod
 * schemas the handlers and use cases validate with, so the document cannot drift from them. Response
 * schemas are written here for the answers whose shape is small and fixed; each is checked against
 * the type the use case returns (see `same` below), so a changed answer fails the type check.
 */

const bothLanguages = z.object({ sv: z.string(), en: z.string() });

/** One problem with one field of a request, named by its JSON path (`missions.1`). */
const FieldProblem = z.object({ field: z.string(), message: z.string() });

/** The envelope of every error answer. */
const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/).describe("A stable snake_case word, e.g. `validation_failed`."),
    message: z.string().describe("A sentence for people."),
    fields: z.array(FieldProblem).optional().describe("Every bad field, for validation errors."),
  }),
});

/** `POST /api/subscriptions/confirm` as JSON: the token from the confirmation email's link. */
const ConfirmRequest = z.object({ token: z.string().max(1024) });

const Pending = z.object({ status: z.literal("pending") });
const Confirmed = z.object({ status: z.literal("active"), alreadyConfirmed: z.boolean().describe("The subscription was confirmed before this request.") });
const ConsentPolicy = z.object({ policyVersion: z.string(), text: bothLanguages });
const PublicMission = z.object({ id: z.string(), name: bothLanguages, description: bothLanguages, contact: z.string(), status: z.literal("active") });
const MissionsCatalogue = z.object({ missions: z.array(PublicMission) });
const PreferencesView = z.object({
  status: z.enum(["active", "unsubscribed"]),
  email: z.string().describe("Masked, e.g. a•••@example.org."),
  language: z.enum(LANGUAGES),
  missions: z.array(z.string()),
  topics: z.array(z.enum(TOPICS)),
  cadence: z.enum(CADENCES),
  cadenceByMission: z
    .record(z.string(), z.enum(CADENCES))
    .describe("The chosen missions whose cadence differs from cadence (mission id → cadence); {} when one cadence holds for all."),
  tracking: z.boolean(),
  available: z.array(z.object({ id: z.string(), name: bothLanguages, retired: z.literal(true).optional() })),
});
const DataRightsRequested = z.object({ status: z.literal("sent"), action: z.enum(["export", "erase"]) });
const Erased = z.object({ status: z.literal("erased") });
const ContentAccepted = z.object({ accepted: z.literal(true), type: ContentEvent.shape.type, id: z.string(), version: z.number().int() });
const MigrationPage = z.object({
  checked: z.number().int().describe("Active subscribers looked at."),
  rewritten: z.number().int().describe("Those whose memberships or profile were re-written."),
  changed: z.number().int().describe("Those who changed their choices meanwhile; a run again picks them up."),
  next: z.string().optional().describe("The after of the next page; absent on the last."),
});
const DigestRunQueued = z.object({ runId: z.string(), campaign: z.string(), status: z.string().describe("Where to follow the run.") });
const RunStatus = z.object({
  runId: z.string(),
  campaign: z.string(),
  cadence: z.enum(["daily", "weekly", "monthly"]),
  period: z.string().describe('"2026-12-02" (daily), "2026-W49" (weekly) or "2026-12" (monthly).'),
  state: z.enum(["queued", "planning", "failed", "sending", "paused", "cancelled", "done"]),
  planned: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int().describe("Includes subscribers whose digest would have been empty."),
  failed: z.number().int(),
  createdAt: z.string(),
  error: z.string().optional().describe("Why a failed run failed."),
  nothingNew: z.literal(true).optional().describe("The period had no new content for anyone: nothing was sent and no campaign opened."),
  warnings: z
    .array(z.object({ code: z.literal("item_left_out"), itemId: z.string(), version: z.number().int(), reason: z.string() }))
    .describe("Items the run left out of every digest because they cannot be put into an email (at most 50); everyone still got the rest."),
  pausedReason: z
    .object({
      code: z.enum(["manual", "complaint_rate", "bounce_rate"]),
      message: z.string().describe('A sentence with the figures, e.g. "Paused automatically: 3 complaints for 600 emails sent (0.5%), over the 0.1% limit."'),
      at: z.string(),
      by: z.object({ sub: z.string(), email: z.string().optional() }).optional(),
      count: z.number().int().optional().describe("Complaints or hard bounces since the last resume."),
      sent: z.number().int().optional().describe("Emails sent since the last resume."),
      rate: z.number().optional().describe("count / sent."),
      limit: z.number().optional().describe("The limit the rate passed (AUTO_PAUSE_COMPLAINT_RATE or AUTO_PAUSE_BOUNCE_RATE)."),
    })
    .optional()
    .describe("Only while paused: why. A digest pauses by itself when its complaint or hard-bounce rate passes the limit, once the minimum sample is sent."),
});
const RunControlOutcome = RunStatus.extend({
  unsentBatches: z.number().int().describe("Batches not yet sent, enqueued again: to be sent (resume) or completed with their recipients skipped (cancel)."),
  unsentRecipients: z.number().int().describe("Recipients in them: planned and not yet sent, skipped or failed."),
});
const RunList = z.object({ runs: z.array(RunStatus) });
const HealthStatus = z.enum(["ok", "warning", "over"]).describe("`ok` within the aim, `warning` past the aim, `over` at or past the limit.");
const RateFigure = z.object({
  count: z.number().int(),
  rate: z.number().nullable().describe("Per email sent (0.001 is 0.1%); null when nothing was sent."),
  status: HealthStatus,
  overAutoPause: z.boolean().describe("Above the rate at which an announcement's send pauses itself."),
});
const rate = (what: string) => z.number().describe(what);
const ServiceHealth = z.object({
  generatedAt: z.string(),
  status: HealthStatus.describe("The worst status of all the figures."),
  thresholds: z.object({
    complaints: z.object({ aim: rate("0.001: Gmail's and Yahoo's aim."), limit: rate("0.003: their limit."), autoPause: rate("AUTO_PAUSE_COMPLAINT_RATE.") }),
    bounces: z.object({ aim: rate("0.02: where the bounce alarm fires."), limit: rate("0.05: SES reviews the account."), autoPause: rate("AUTO_PAUSE_BOUNCE_RATE."), sesSuspension: rate("0.10: SES may pause sending.") }),
    approval: z.number().int().describe("APPROVAL_THRESHOLD: an announcement to more recipients needs a second publisher's approval."),
  }),
  windows: z
    .array(
      z.object({
        days: z.number().int(),
        from: z.string(),
        to: z.string(),
        sent: z.number().int().describe("Emails SES accepted: campaigns and transactional mail."),
        complaints: RateFigure,
        bounces: RateFigure.describe("Hard bounces."),
        softBounces: z.number().int(),
        suppressions: z.object({ hardBounce: z.number().int(), softBounces: z.number().int(), complaint: z.number().int(), total: z.number().int() }).describe("Addresses the feedback suppressed in the window, by reason."),
        status: HealthStatus,
      }),
    )
    .describe("The last 7 and 30 Stockholm days, today included."),
  daily: z
    .array(z.object({ day: z.string(), sent: z.number().int(), complaints: z.number().int(), bounces: z.number().int(), complaintRate: z.number().nullable(), bounceRate: z.number().nullable() }))
    .describe("The last 30 days, oldest first, every day present."),
  deadLetters: z.array(
    z.object({
      queue: z.enum(DEAD_LETTER_QUEUES).describe("The queue: `signUp` holds sign-ups from the public form that failed for good."),
      messages: z.number().int().nullable().describe("Messages waiting (approximate in SQS); null when the queue could not be read."),
      status: HealthStatus.describe("`over` for any message: each failed for good."),
      error: z.string().optional(),
    }),
  ),
  digestRuns: z.array(RunStatus.extend({ status: HealthStatus.describe("`over` for a failed run; `warning` for a paused or cancelled one, or one that left items out.") })).describe("The latest five runs, newest first."),
  approvals: z.object({
    waiting: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        missions: z.array(z.string()),
        author: z.string(),
        waitingSince: z.string().describe("Its last edit."),
        audienceEstimate: z.number().int().describe("The sum of its missions' subscribers: an upper bound."),
        status: HealthStatus.describe("`warning` after a day without an approval."),
      }),
    ),
    status: HealthStatus,
  }),
});
const MissionView = z.object({
  id: z.string(),
  name: bothLanguages,
  description: bothLanguages,
  contact: z.string(),
  teamAddress: z.string().optional().describe("Where replies to the mission's emails go; without one, the service's general address."),
  status: z.enum(["active", "retired"]),
  version: z.number().int(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  retiredAt: z.string().optional(),
});
const MissionList = z.object({ missions: z.array(MissionView) });
const AnnouncementPreview = z.object({
  language: z.enum(LANGUAGES),
  contentLanguage: z.enum(LANGUAGES),
  fallback: z.boolean().describe("The announcement lacks the reader's language, so the other one is shown with a note."),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});
const TestSendResult = z.object({ sent: z.number().int(), suppressed: z.number().int(), failed: z.number().int(), languages: z.array(z.enum(LANGUAGES)) });

const Actor = z.object({ sub: z.string(), email: z.string().optional() });
const CheckResult = z.object({
  check: z.enum(CHECK_IDS),
  severity: z.enum(["ok", "info", "warning", "error"]),
  language: z.enum(LANGUAGES).optional(),
  message: z.string(),
  value: z.number().optional(),
  items: z.array(z.string()).optional(),
});
const ApprovalStatus = z.object({
  required: z.boolean(),
  threshold: z.number().int(),
  audience: z.number().int(),
  author: Actor,
  approval: z.object({ by: Actor, at: z.string(), version: z.number().int() }).optional(),
  refusal: z.object({ by: Actor, at: z.string(), reason: z.string() }).optional(),
  next: z.enum(["approval", "edit", "send", "none"]),
});
const ChecksReport = z.object({
  id: z.string(),
  version: z.number().int(),
  ok: z.boolean(),
  errors: z.array(z.enum(CHECK_IDS)),
  warnings: z.array(z.enum(CHECK_IDS)),
  checks: z.array(CheckResult),
  audience: z.object({ sv: z.number().int(), en: z.number().int(), total: z.number().int() }),
  approval: ApprovalStatus,
});

/** Every named schema, by its name in `components.schemas`. */
/** The optional answer after an unsubscribe; stored without the address. */
const DepartureReasonRequest = z.object({
  reason: z.enum(DEPARTURE_REASONS),
  text: z.string().max(DEPARTURE_TEXT_MAX).optional().describe("Free text, at most 500 characters; blank counts as none."),
});

const DepartureRecorded = z.object({ status: z.enum(["recorded", "duplicate"]).describe("`duplicate`: this person had already answered; the first answer stands.") });

export const SCHEMAS = {
  ErrorEnvelope,
  DepartureReasonRequest,
  DepartureRecorded,
  FieldProblem,
  SubscribeRequest,
  ConfirmRequest,
  PreferencesUpdate,
  DataRightsRequest,
  ContentEvent,
  RunDigestRequest,
  MigrationRequest,
  MigrationPage,
  NewMission,
  MissionEdit,
  ImportRequest,
  AnnouncementInput,
  AnnouncementEdit,
  AnnouncementPreviewInput,
  TestSendInput,
  SendInput,
  ApprovalInput,
  ChecksReport,
  Pending,
  Confirmed,
  ConsentPolicy,
  MissionsCatalogue,
  PreferencesView,
  DataRightsRequested,
  Erased,
  ContentAccepted,
  DigestRunQueued,
  RunStatus,
  RunControlOutcome,
  RunList,
  ServiceHealth,
  MissionView,
  MissionList,
  AnnouncementPreview,
  TestSendResult,
} satisfies Record<string, z.ZodType>;

export type SchemaName = keyof typeof SCHEMAS;

// Response schemas against the types the use cases answer: each line fails the type check if they part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;
same<z.infer<typeof Pending>, Awaited<ReturnType<typeof requestSignUp>>>(true);
same<z.infer<typeof ConsentPolicy>, ReturnType<typeof currentPolicy>>(true);
same<z.infer<typeof PreferencesView>, PreferencesViewType>(true);
same<z.infer<typeof RunStatus>, RunStatusType>(true);
same<z.infer<typeof RunControlOutcome>, RunControlOutcomeType>(true);
same<z.infer<typeof ServiceHealth>, ServiceHealthType>(true);
same<z.infer<typeof MigrationPage>, MigrationPageType>(true);
same<z.infer<typeof MissionView>, MissionViewType>(true);
same<z.infer<typeof AnnouncementPreview>, AnnouncementPreviewType>(true);
same<z.infer<typeof TestSendResult>, TestSendResultType>(true);
