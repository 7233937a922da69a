import type { ZodType } from "zod";
import { recordStaffAction, type AuditLog } from "../audit";
import { personalise, renderMarkdown, type ContentEmailSpec, type CompiledVariant } from "../emails";
import { inParallel } from "../shared/in-parallel";
import { AppError, type FieldProblem, zodProblems } from "../shared/errors";
import type { AnnouncementScheduler, AnnouncementStore, CampaignControl, CampaignStatus } from "./ports";
import type { StaffIdentity } from "../staff";
import type { MissionDirectory } from "../shared/missions";
import { unknownMissions, type SubscriberAudience } from "../subscription";
import { requeueUnsentBatches, type BatchOutbox, type CampaignOutbox } from "../campaigns";
import type { Clock, Ids, JobQueue, MailQueue } from "../platform/ports";
import type { PlanJob } from "../shared/jobs";
import { CADENCES, LANGUAGES, type Language } from "../shared/vocabulary";
import { parseStockholmTime } from "./schedule-time";
import { approvalRequired, approvalStatus, lastEditorOf, nameOf, needsApproval, requirePublisher, type ApprovalStatus } from "./approval";
import { bodyHtmlOf, contentChecks, failing, type AudienceByLanguage, type CheckResult, type RenderedLanguage } from "./checks";
import {
  ANNOUNCEMENT_ID,
  AnnouncementEdit,
  AnnouncementInput,
  AnnouncementPreviewInput,
  SendInput,
  announcementCampaignKey,
  languagesOf,
  type Actor,
  type Announcement,
  type AnnouncementContent,
  type AnnouncementState,
  type PausedReason,
} from "./schema";

export * from "./schema";

/** A formatted body may be at most this large, so the email stays well under Gmail's 102 KB clip. */
export const MAX_BODY_HTML_BYTES = 60 * 1024;

/** Compiles an announcement variant (MJML); only planners and the preview and test routes have it. */
export type CompileAnnouncement = (spec: Extract<ContentEmailSpec, { template: "announcement" }>, language: Language) => Promise<CompiledVariant>;

/** The announcement store together with control over the campaign an announcement becomes. */
export type Announcements = AnnouncementStore & CampaignControl;

/** What the announcement use cases need; handlers build it from the process-wide dependencies. */
export interface AnnouncementDeps {
  announcements: Announcements;
  store: SubscriberAudience & MissionDirectory;
  outbox: Pick<CampaignOutbox, "openCampaign"> & Pick<BatchOutbox, "postpone">;
  planQueue: JobQueue<PlanJob>;
  sendQueue: MailQueue;
  scheduler: AnnouncementScheduler;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  /** Renders the emails the pre-send checks measure (the send runs them too). */
  compile: CompileAnnouncement;
  publicUrl: string;
  /** Sends to more recipients than this need a second publisher's approval (APPROVAL_THRESHOLD). */
  approvalThreshold: number;
}

/** The counters staff follow a send by. `audience` is an estimate until planning has frozen the recipients. */
export interface AnnouncementCounters {
  audience: number;
  sent: number;
  failed: number;
  skipped: number;
  delivered: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
}

/** An announcement as the API shows it: content, lifecycle state, counters and progress. */
export interface AnnouncementView extends AnnouncementContent {
  id: string;
  state: AnnouncementState;
  languages: Language[];
  campaign: string;
  scheduledAt?: string;
  scheduledFor?: string;
  pausedReason?: PausedReason;
  createdBy: Actor;
  /** Who last wrote its content; an approval must come from someone else. */
  lastEditedBy?: Actor;
  approval?: Announcement["approval"];
  refusal?: Announcement["refusal"];
  createdAt: string;
  updatedAt: string;
  version: number;
  counters: AnnouncementCounters;
  /** Whether `counters.audience` is today's estimate (before sending) rather than the frozen audience. */
  audienceIsEstimate: boolean;
  progress: { batches: number; batchesDone: number };
  /** Before sending: where it stands on the four-eyes rule and who must act next. */
  review?: ApprovalStatus;
}

const actorOf = (staff: StaffIdentity): Actor => ({ sub: staff.sub, ...(staff.email ? { email: staff.email } : {}) });
const isoNow = (deps: { clock: Clock }) => new Date(deps.clock.now()).toISOString();
const notFound = (id: string) => new AppError(404, "announcement_not_found", `No announcement with id "${id.slice(0, 40)}".`);

/** The state staff see: the announcement's own before sending, the campaign's from then on. */
export function stateOf(a: Pick<Announcement, "state">, campaign: Pick<CampaignStatus, "state"> | undefined): AnnouncementState {
  if (a.state === "draft" || a.state === "scheduled") return a.state;
  switch (campaign?.state) {
    case "paused":
      return "paused";
    case "cancelled":
      return "cancelled";
    case "done":
      return "done";
    default:
      return a.state === "cancelled" ? "cancelled" : "sending";
  }
}

/**
 * Active subscribers of these missions who chose the news topic, at any cadence (announcements go
 * out at once, whatever the digest cadence), each once however many of the missions they follow,
 * with their language. Read by Query on the fan-out index, never Scan.
 */
export async function announcementAudience(store: SubscriberAudience, missions: string[]): Promise<Map<string, Language>> {
  const audience = new Map<string, Language>();
  const partitions = missions.flatMap((mission) => CADENCES.map((cadence) => ({ mission, cadence })));
  await inParallel(partitions, 4, async ({ mission, cadence }) => {
    for (const member of await store.audience(mission, "news", cadence)) if (!audience.has(member.subscriberId)) audience.set(member.subscriberId, member.language);
  });
  return audience;
}

/** The language an announcement is shown in to a reader of `language`: theirs if it has it, else the one it has. */
export function contentLanguageFor(content: Pick<AnnouncementContent, "title">, language: Language): Language {
  const languages = languagesOf(content);
  return languages.includes(language) ? language : languages[0]!;
}

/** Today's audience of these missions, counted per reader language. */
export async function audienceByLanguage(store: SubscriberAudience, missions: string[]): Promise<AudienceByLanguage> {
  const counts: AudienceByLanguage = { sv: 0, en: 0 };
  for (const language of (await announcementAudience(store, missions)).values()) counts[language]++;
  return counts;
}

/**
 * The view of an announcement, with its campaign's state and counters; an audience estimate before
 * it is sent, if asked for, and then (where the threshold is known) its four-eyes status.
 */
export async function viewOf(deps: Pick<AnnouncementDeps, "announcements" | "store"> & { approvalThreshold?: number }, a: Announcement, options: { estimate?: boolean } = {}): Promise<AnnouncementView> {
  const campaign = a.state === "sending" || a.state === "cancelled" ? await deps.announcements.campaignStatus(announcementCampaignKey(a.id)) : undefined;
  const state = stateOf(a, campaign);
  const estimate = !campaign && options.estimate && (state === "draft" || state === "scheduled");
  const { state: _s, version, ...content } = a;
  const audience = estimate ? (await announcementAudience(deps.store, a.missions)).size : (campaign?.planned ?? 0);
  return {
    ...content,
    state,
    version,
    languages: languagesOf(a),
    campaign: announcementCampaignKey(a.id),
    ...(campaign?.pausedReason && state === "paused" ? { pausedReason: campaign.pausedReason } : {}),
    counters: {
      audience,
      sent: campaign?.sent ?? 0,
      failed: campaign?.failed ?? 0,
      skipped: campaign?.skipped ?? 0,
      delivered: campaign?.delivered ?? 0,
      bounced: campaign?.bounced ?? 0,
      complained: campaign?.complained ?? 0,
      unsubscribed: campaign?.unsubscribed ?? 0,
    },
    audienceIsEstimate: Boolean(estimate),
    progress: { batches: campaign?.batches ?? 0, batchesDone: campaign?.batchesDone ?? 0 },
    ...(estimate && deps.approvalThreshold !== undefined ? { review: approvalStatus(a, audience, deps.approvalThreshold) } : {}),
  };
}

function badRequest(fields: FieldProblem[]): AppError {
  return new AppError(400, "validation_failed", fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields);
}

/**
 * Checks staff input: its shape (400 `validation_failed` with `fields`), that each body still fits an
 * email once formatted (400), and that every mission is an active one (422 `unknown_missions`).
 */
async function parseContent<T extends { body: AnnouncementContent["body"]; missions?: string[] | undefined }>(store: MissionDirectory, schema: ZodType<T>, body: unknown): Promise<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest(zodProblems(parsed.error));
  const tooLarge = LANGUAGES.flatMap((l) => {
    const md = parsed.data.body[l];
    return md !== undefined && Buffer.byteLength(renderMarkdown(md).html) > MAX_BODY_HTML_BYTES ? [{ field: `body.${l}`, message: `The body is too large once formatted (over ${MAX_BODY_HTML_BYTES / 1024} KB of HTML); shorten it.` }] : [];
  });
  if (tooLarge.length) throw badRequest(tooLarge);
  const unknown = await unknownMissions(store, parsed.data.missions ?? [], []);
  if (unknown.length) throw new AppError(422, "unknown_missions", unknown.map((f) => f.message).join(" "), unknown);
  return parsed.data;
}

const contentOf = (input: AnnouncementContent): AnnouncementContent => ({
  title: input.title,
  body: input.body,
  missions: input.missions,
  ...(input.event ? { event: input.event } : {}),
  ...(input.cta ? { cta: input.cta } : {}),
});

async function load(deps: Pick<AnnouncementDeps, "announcements">, id: string): Promise<Announcement> {
  const a = ANNOUNCEMENT_ID.test(id) ? await deps.announcements.getAnnouncement(id) : undefined;
  if (!a) throw notFound(id);
  return a;
}

/** Details of an announcement for the audit log: what it is about, never its full text. */
const auditContent = (c: AnnouncementContent) => ({ title: c.title, missions: c.missions, languages: languagesOf(c), event: c.event, cta: c.cta?.url });

/** Creates a draft. Recorded in the audit log before it is stored; bad input stores nothing. */
export async function createAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, body: unknown): Promise<AnnouncementView> {
  const input = await parseContent(deps.store, AnnouncementInput, body);
  const now = isoNow(deps);
  const id = deps.ids.next();
  const announcement: Announcement = { id, ...contentOf(input), state: "draft", createdBy: actorOf(staff), lastEditedBy: actorOf(staff), createdAt: now, updatedAt: now, version: 1 };
  await recordStaffAction(deps, staff, "announcement.create", id, auditContent(input));
  await deps.announcements.createAnnouncement(announcement);
  return viewOf(deps, announcement, { estimate: true });
}

/**
 * Replaces a draft's (or a scheduled announcement's) content. Optimistic concurrency: the write names
 * the version it read (and the version the client read, if it sends one), so two editors cannot
 * overwrite each other silently: 409 `version_conflict`. Once sending has started it is 409 `not_editable`.
 *
 * An edit makes its author the last editor, and voids an approval (recorded in the audit log) and
 * clears a refusal: what was approved is no longer what would be sent. A scheduled announcement that
 * needs an approval goes back to draft, its schedule removed, so it cannot go out unapproved.
 */
export async function editAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string, body: unknown): Promise<AnnouncementView> {
  const input = await parseContent(deps.store, AnnouncementEdit, body);
  const current = await load(deps, id);
  if (current.state !== "draft" && current.state !== "scheduled") {
    throw new AppError(409, "not_editable", `The announcement is ${current.state === "sending" ? "being sent or has been sent" : current.state}; only drafts and scheduled announcements can be edited.`);
  }
  if (input.version !== undefined && input.version !== current.version) {
    throw new AppError(409, "version_conflict", `Someone changed the announcement since you read it (version ${input.version}, now ${current.version}). Reload it and edit again.`);
  }
  const { version: _v, ...content } = input;
  const { event: _e, cta: _c, approval, refusal: _r, ...kept } = current;
  let next: Announcement = { ...kept, ...contentOf(content), lastEditedBy: actorOf(staff), updatedAt: isoNow(deps), version: current.version + 1 };
  const unschedule = Boolean(approval && current.state === "scheduled" && current.scheduledAt && needsApproval((await announcementAudience(deps.store, next.missions)).size, deps.approvalThreshold));
  if (unschedule) {
    const { scheduledAt: _a, scheduledFor: _f, ...draft } = next;
    next = { ...draft, state: "draft" };
  }
  await recordStaffAction(deps, staff, "announcement.edit", id, { ...auditContent(content), version: next.version });
  if (approval) {
    await recordStaffAction(deps, staff, "announcement.approval-void", id, { approvedBy: nameOf(approval.by), approvedVersion: approval.version, reason: "edited", ...(unschedule ? { unscheduled: current.scheduledFor } : {}) });
  }
  if (!(await deps.announcements.replaceAnnouncement(next, current.version))) {
    throw new AppError(409, "version_conflict", "Someone changed the announcement at the same moment. Reload it and edit again.");
  }
  if (unschedule) await deps.scheduler.unschedule(id, Date.parse(current.scheduledAt!));
  return viewOf(deps, next, { estimate: true });
}

/** One announcement with its state, counters, progress and, before sending, an audience estimate. */
export async function getAnnouncement(deps: Pick<AnnouncementDeps, "announcements" | "store"> & { approvalThreshold?: number }, id: string): Promise<AnnouncementView> {
  return viewOf(deps, await load(deps, id), { estimate: true });
}

/** Announcements newest first, with state and counters, without their bodies. */
export async function listAnnouncements(deps: Pick<AnnouncementDeps, "announcements" | "store">, options: { limit: number; before?: string }) {
  const page = await deps.announcements.listAnnouncements(options);
  const views = await Promise.all(page.announcements.map((a) => viewOf(deps, a)));
  return {
    announcements: views.map(({ body: _b, ...summary }) => summary),
    ...(page.next ? { next: page.next } : {}),
  };
}

/** A control action's answer: 202 when something started, 200 with the current state otherwise (a repeat included). */
export type SendOutcome = { status: 200 | 202; view: AnnouncementView };

/**
 * Sends an announcement now, or schedules it for a Stockholm wall-clock time. Idempotent on the
 * announcement: the campaign key is `announcement#<id>` and the outbox freezes each recipient into
 * one batch, so however often this is called (a double click, a retried request) or the plan job is
 * delivered, nobody gets it twice. A repeat answers 200 with the current state; a first send or
 * schedule answers 202. A time that does not exist or is ambiguous (the nights the clocks change),
 * or has passed, is 422 with the reason.
 *
 * Before a first send or schedule (not a repeat): only a publisher may (403 `role_required`); the
 * pre-send checks run, and any error refuses it (422 `checks_failed`, naming the checks), any
 * warning too unless `acknowledgeWarnings` is set (409 `warnings_not_acknowledged`); and above the
 * approval threshold it needs an approval by a publisher other than the last editor (409
 * `approval_required`).
 *
 * Order of effects, so a crash anywhere leaves nothing that sends wrongly: a schedule is created
 * before the announcement says "scheduled" (a schedule the announcement does not name is ignored
 * when it fires); a send now marks the announcement sending, opens the campaign and then enqueues
 * the plan job (a retry while the campaign is still planning enqueues it again, harmlessly).
 */
export async function sendAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string, body: unknown, attempt = 0): Promise<SendOutcome> {
  const parsed = SendInput.safeParse(body ?? {});
  if (!parsed.success) throw badRequest(zodProblems(parsed.error));
  requirePublisher(staff);
  const at = parsed.data.at;
  const parsedTime = at === undefined ? undefined : parseStockholmTime(at, deps.clock.now());
  let current: Announcement | undefined;
  let when: { atMs: number; wall: string } | undefined;
  if (parsedTime && !parsedTime.ok) {
    if (parsedTime.code === "invalid_time") throw badRequest([{ field: "at", message: parsedTime.message }]);
    // A retried schedule request that arrives after its time: the same schedule, answered as a repeat.
    current = parsedTime.code === "time_in_past" ? await load(deps, id) : undefined;
    const sameSchedule = current?.scheduledAt && current.scheduledFor === at!.slice(0, 16) && (current.state === "scheduled" || current.state === "sending");
    if (!sameSchedule) throw new AppError(422, parsedTime.code, parsedTime.message, [{ field: "at", message: parsedTime.message }]);
    when = { atMs: Date.parse(current!.scheduledAt!), wall: current!.scheduledFor! };
  } else if (parsedTime) {
    when = parsedTime;
  }
  current ??= await load(deps, id);
  const key = announcementCampaignKey(id);
  const again = () => sendAnnouncement(deps, staff, id, body, attempt + 1);
  if (current.state === "cancelled") throw new AppError(409, "cancelled", "The announcement was cancelled; create a new one to send it.");

  if (current.state === "sending") {
    if (when && current.scheduledFor !== when.wall) throw new AppError(409, "already_sent", "The announcement is already being sent or has been sent; it cannot be scheduled again.");
    const campaign = await deps.announcements.campaignStatus(key);
    if (!when && (!campaign || campaign.state === "planning")) await deps.planQueue.enqueue({ kind: "plan-announcement", id });
    await recordStaffAction(deps, staff, when ? "announcement.schedule" : "announcement.send", id, { repeat: true, ...(when ? { at: when.wall } : {}) });
    return { status: 200, view: await viewOf(deps, current) };
  }

  if (when && current.state === "scheduled" && current.scheduledFor === when.wall) {
    await recordStaffAction(deps, staff, "announcement.schedule", id, { at: when.wall, repeat: true });
    return { status: 200, view: await viewOf(deps, current, { estimate: true }) };
  }

  const gate = await sendGate(deps, current, parsed.data.acknowledgeWarnings === true);

  if (when) {
    const previous = current.state === "scheduled" && current.scheduledAt ? Date.parse(current.scheduledAt) : undefined;
    await recordStaffAction(deps, staff, "announcement.schedule", id, { at: when.wall, atUtc: new Date(when.atMs).toISOString(), ...(current.scheduledFor ? { previously: current.scheduledFor } : {}), ...gate });
    await deps.scheduler.schedule(id, when.atMs);
    const next: Announcement = { ...current, state: "scheduled", scheduledAt: new Date(when.atMs).toISOString(), scheduledFor: when.wall, updatedAt: isoNow(deps), version: current.version + 1 };
    if (!(await deps.announcements.replaceAnnouncement(next, current.version))) {
      if (attempt < 3) return again();
      throw new AppError(409, "version_conflict", "The announcement kept changing while it was being scheduled; try again.");
    }
    if (previous !== undefined) await deps.scheduler.unschedule(id, previous);
    return { status: 202, view: await viewOf(deps, next, { estimate: true }) };
  }

  await recordStaffAction(deps, staff, "announcement.send", id, { missions: current.missions, ...(current.scheduledFor ? { insteadOf: current.scheduledFor } : {}), ...gate });
  const next: Announcement = { ...current, state: "sending", updatedAt: isoNow(deps), version: current.version + 1 };
  if (!(await deps.announcements.replaceAnnouncement(next, current.version))) {
    if (attempt < 3) return again();
    throw new AppError(409, "version_conflict", "The announcement kept changing while it was being sent; try again.");
  }
  await deps.outbox.openCampaign(key, "announcement", deps.clock.now());
  await deps.planQueue.enqueue({ kind: "plan-announcement", id });
  if (current.state === "scheduled" && current.scheduledAt) await deps.scheduler.unschedule(id, Date.parse(current.scheduledAt));
  return { status: 202, view: await viewOf(deps, next) };
}

/** Renders each language an announcement is written in as its readers get it, for the checks. */
export async function renderLanguages(deps: { store: MissionDirectory; compile: CompileAnnouncement; publicUrl: string }, a: AnnouncementContent): Promise<RenderedLanguage[]> {
  return Promise.all(
    languagesOf(a).map(async (language) => {
      const preview = await renderPreview(deps, a, language);
      return { language, subject: preview.subject, html: preview.html, bodyHtml: bodyHtmlOf(a, language), markdown: a.body[language] ?? "", ...(a.cta ? { ctaUrl: a.cta.url } : {}) };
    }),
  );
}

/** The pre-send checks that need no network (everything but link reachability), and the audience they measured. */
export async function sendChecks(deps: Pick<AnnouncementDeps, "store" | "compile" | "publicUrl">, a: Announcement): Promise<{ results: CheckResult[]; audience: AudienceByLanguage }> {
  const audience = await audienceByLanguage(deps.store, a.missions);
  return { results: contentChecks(a, await renderLanguages(deps, a), audience, deps.publicUrl), audience };
}

/**
 * What must hold before a first send or schedule: no check errors (422), warnings acknowledged
 * (409), and above the threshold an approval (409). Answers what the audit entry records of it.
 */
async function sendGate(deps: AnnouncementDeps, a: Announcement, acknowledged: boolean): Promise<Record<string, unknown>> {
  const { results, audience } = await sendChecks(deps, a);
  const errors = failing(results, "error");
  if (errors.length) {
    const found = results.filter((r) => r.severity === "error");
    throw new AppError(422, "checks_failed", `The pre-send checks found errors (${errors.join(", ")}): ${found.map((r) => r.message).join(" ")}`, found.map((r) => ({ field: `checks.${r.check}${r.language ? `.${r.language}` : ""}`, message: r.message })));
  }
  const total = audience.sv + audience.en;
  if (needsApproval(total, deps.approvalThreshold) && !a.approval) throw approvalRequired(a, total, deps.approvalThreshold);
  const warnings = failing(results, "warning");
  if (warnings.length && !acknowledged) {
    const found = results.filter((r) => r.severity === "warning");
    throw new AppError(
      409,
      "warnings_not_acknowledged",
      `The pre-send checks found warnings (${warnings.join(", ")}); read them and send again with "acknowledgeWarnings": true. ${found.map((r) => r.message).join(" ")}`,
      found.map((r) => ({ field: `checks.${r.check}${r.language ? `.${r.language}` : ""}`, message: r.message })),
    );
  }
  return {
    audience: total,
    ...(warnings.length ? { acknowledgedWarnings: warnings } : {}),
    ...(a.approval ? { approvedBy: nameOf(a.approval.by) } : {}),
    author: nameOf(lastEditorOf(a)),
  };
}

const requeueUnsent = (deps: Pick<AnnouncementDeps, "announcements" | "outbox" | "sendQueue" | "clock">, key: string) => requeueUnsentBatches({ ...deps, campaigns: deps.announcements }, key);

/** The announcement's campaign, which exists from the moment it starts sending (opened again here if a crash left it unopened). */
async function campaignOf(deps: Pick<AnnouncementDeps, "announcements" | "outbox" | "clock">, a: Announcement) {
  const key = announcementCampaignKey(a.id);
  const campaign = (await deps.announcements.campaignStatus(key)) ?? (await deps.outbox.openCampaign(key, "announcement", deps.clock.now()), await deps.announcements.campaignStatus(key));
  return { key, campaign: campaign! };
}

/**
 * Pauses a send: batches not yet sent are held (the sender puts each off when it finds the campaign
 * paused) until staff resume or cancel. Pausing a paused send answers 200 with its state.
 */
export async function pauseAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string): Promise<SendOutcome> {
  const a = await load(deps, id);
  if (a.state !== "sending") throw new AppError(409, "not_sending", `The announcement is ${a.state}; only a send in progress can be paused.`);
  const { key, campaign } = await campaignOf(deps, a);
  if (campaign.state === "paused") return { status: 200, view: await viewOf(deps, a) };
  if (campaign.state === "done" || campaign.state === "cancelled") throw new AppError(409, "not_sending", `The send is ${campaign.state}; there is nothing left to pause.`);
  const at = isoNow(deps);
  await recordStaffAction(deps, staff, "announcement.pause", id, {});
  const reason: PausedReason = { code: "manual", message: `Paused by ${staff.email ?? staff.sub}.`, at, by: actorOf(staff) };
  if (!(await deps.announcements.pauseCampaign(key, reason))) {
    const now = await deps.announcements.campaignStatus(key);
    if (now?.state !== "paused") throw new AppError(409, "not_sending", `The send is ${now?.state ?? "gone"}; there is nothing left to pause.`);
  }
  return { status: 200, view: await viewOf(deps, a) };
}

/**
 * Resumes a paused send: the batches still to send are enqueued again at once rather than waiting
 * out the day the sender put them off by. The automatic pause then measures only what is sent from
 * here on. Resuming a send that is not paused answers 200 with its state.
 */
export async function resumeAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string): Promise<SendOutcome> {
  const a = await load(deps, id);
  if (a.state !== "sending") throw new AppError(409, "not_paused", `The announcement is ${a.state}; only a paused send can be resumed.`);
  const { key, campaign } = await campaignOf(deps, a);
  if (campaign.state === "sending" || campaign.state === "planning") return { status: 200, view: await viewOf(deps, a) };
  if (campaign.state !== "paused") throw new AppError(409, "not_paused", `The send is ${campaign.state}; only a paused send can be resumed.`);
  await recordStaffAction(deps, staff, "announcement.resume", id, { pausedReason: campaign.pausedReason?.code });
  if (await deps.announcements.resumeCampaign(key, isoNow(deps))) {
    await requeueUnsent(deps, key);
    await deps.announcements.finishIfDone(key);
  }
  return { status: 200, view: await viewOf(deps, a) };
}

/**
 * Cancels an announcement. A draft or scheduled one is cancelled and its schedule removed; a send in
 * progress stops: every batch not yet sent is enqueued at once and the sender marks its recipients
 * skipped, so the counts settle. A cancelled announcement stays cancelled (200 on a repeat); a
 * finished one is 409.
 */
export async function cancelAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string, attempt = 0): Promise<SendOutcome> {
  const a = await load(deps, id);
  const at = isoNow(deps);
  if (a.state === "cancelled") return { status: 200, view: await viewOf(deps, a) };
  if (a.state === "draft" || a.state === "scheduled") {
    await recordStaffAction(deps, staff, "announcement.cancel", id, { was: a.state, ...(a.scheduledFor ? { scheduledFor: a.scheduledFor } : {}) });
    const next: Announcement = { ...a, state: "cancelled", updatedAt: at, version: a.version + 1 };
    if (!(await deps.announcements.replaceAnnouncement(next, a.version))) {
      if (attempt < 3) return cancelAnnouncement(deps, staff, id, attempt + 1);
      throw new AppError(409, "version_conflict", "The announcement kept changing while it was being cancelled; try again.");
    }
    if (a.state === "scheduled" && a.scheduledAt) await deps.scheduler.unschedule(id, Date.parse(a.scheduledAt));
    return { status: 200, view: await viewOf(deps, next) };
  }
  const { key, campaign } = await campaignOf(deps, a);
  if (campaign.state === "cancelled") return { status: 200, view: await viewOf(deps, a) };
  if (campaign.state === "done") throw new AppError(409, "already_done", "The announcement has been sent to everyone; there is nothing left to cancel.");
  await recordStaffAction(deps, staff, "announcement.cancel", id, { was: campaign.state, sent: campaign.sent });
  if (!(await deps.announcements.cancelCampaign(key, at))) {
    const now = await deps.announcements.campaignStatus(key);
    if (now?.state === "done") throw new AppError(409, "already_done", "The announcement finished sending before it could be cancelled.");
  }
  const next: Announcement = { ...a, state: "cancelled", updatedAt: at, version: a.version + 1 };
  await deps.announcements.replaceAnnouncement(next, a.version);
  await requeueUnsent(deps, key);
  return { status: 200, view: await viewOf(deps, next) };
}

/** What a preview answers: the email a reader of `language` gets, and whether it is the other language's version. */
export interface AnnouncementPreview {
  language: Language;
  contentLanguage: Language;
  fallback: boolean;
  subject: string;
  html: string;
  text: string;
}

/** Renders the email for readers of `language` (with the fallback note where the announcement lacks it), links inert. */
export async function renderPreview(
  deps: { store: MissionDirectory; compile: CompileAnnouncement; publicUrl: string },
  content: AnnouncementContent,
  language: Language,
  options: { test?: boolean } = {},
): Promise<AnnouncementPreview> {
  const contentLanguage = contentLanguageFor(content, language);
  const names = new Map((await deps.store.listMissions()).map((m) => [m.id, m.name[language]]));
  const variant = await deps.compile({ template: "announcement", content, contentLanguage, missionNames: content.missions.map((m) => names.get(m) ?? m), ...(options.test ? { test: true } : {}) }, language);
  const siteUrl = deps.publicUrl.replace(/\/$/, "");
  const site = `${siteUrl}/missions`;
  const email = personalise(variant, { siteUrl, preferencesUrl: site, unsubscribeUrl: site });
  return { language, contentLanguage, fallback: contentLanguage !== language, ...email };
}

/** Reads `?lang=`: sv or en, by default the announcement's first language. */
export function previewLanguage(content: Pick<AnnouncementContent, "title">, lang: string | undefined): Language {
  if (lang === undefined || lang === "") return languagesOf(content)[0] ?? "sv";
  if (!(LANGUAGES as readonly string[]).includes(lang)) throw badRequest([{ field: "lang", message: 'lang is "sv" or "en".' }]);
  return lang as Language;
}

/** Previews a saved announcement, for readers of `lang`. */
export async function previewAnnouncement(deps: Pick<AnnouncementDeps, "announcements" | "store"> & { compile: CompileAnnouncement; publicUrl: string }, id: string, lang: string | undefined): Promise<AnnouncementPreview> {
  const a = await load(deps, id);
  return renderPreview(deps, a, previewLanguage(a, lang));
}

/** Previews an unsaved draft (the console's live preview): the same checks as creating one, nothing stored. */
export async function previewDraft(deps: { store: MissionDirectory; compile: CompileAnnouncement; publicUrl: string }, body: unknown, lang: string | undefined): Promise<AnnouncementPreview> {
  const input = await parseContent(deps.store, AnnouncementPreviewInput, body);
  const content = { ...input, missions: input.missions ?? [] } as AnnouncementContent;
  return renderPreview(deps, content, previewLanguage(content, lang));
}
