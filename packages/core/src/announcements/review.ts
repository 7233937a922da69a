import { recordStaffAction } from "../audit";
import { AppError, zodProblems } from "../shared/errors";
import type { StaffIdentity } from "../staff";
import { ANNOUNCEMENT_ID, ApprovalInput, type Announcement } from "./schema";
import { sendChecks, viewOf, type AnnouncementDeps, type AnnouncementView } from "./announcement";
import { approvalStatus, checkReviewer, nameOf, type ApprovalStatus } from "./approval";
import { authoredLinks, bodyHtmlOf, checkLinkReachability, failing, linksToProbe, type AudienceByLanguage, type CheckId, type CheckResult } from "./checks";
import type { LinkProbe } from "./ports";
import { languagesOf } from "./schema";

const isoNow = (deps: Pick<AnnouncementDeps, "clock">) => new Date(deps.clock.now()).toISOString();
const actorOf = (staff: StaffIdentity) => ({ sub: staff.sub, ...(staff.email ? { email: staff.email } : {}) });

async function load(deps: Pick<AnnouncementDeps, "announcements">, id: string): Promise<Announcement> {
  const a = ANNOUNCEMENT_ID.test(id) ? await deps.announcements.getAnnouncement(id) : undefined;
  if (!a) throw new AppError(404, "announcement_not_found", `No announcement with id "${id.slice(0, 40)}".`);
  return a;
}

function parseDecision(body: unknown): { decision: "approve" | "refuse"; reason?: string } {
  const parsed = ApprovalInput.safeParse(body ?? {});
  if (!parsed.success) {
    const fields = zodProblems(parsed.error);
    throw new AppError(400, "validation_failed", fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields);
  }
  return { decision: parsed.data.decision ?? "approve", ...(parsed.data.reason !== undefined ? { reason: parsed.data.reason } : {}) };
}

/**
 * A publisher's decision on a draft: approve it, or refuse it with a reason. The four-eyes rule: the
 * decision must come from a publisher other than the author of the last edit (403 `four_eyes`), on
 * a draft (409 `not_reviewable`). Recorded in the audit log before it is stored. Approving what the
 * same publisher already approved answers 200 with the state, recording nothing new. An approval
 * replaces a refusal and a refusal voids an approval (recorded as such).
 */
export async function reviewAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string, body: unknown, attempt = 0): Promise<AnnouncementView> {
  const { decision, reason } = parseDecision(body);
  const a = await load(deps, id);
  if (a.state !== "draft") throw new AppError(409, "not_reviewable", `The announcement is ${a.state}; only drafts are approved or refused (an edit takes a scheduled one back to draft when it needs a new approval).`);
  checkReviewer(a, staff);
  const at = isoNow(deps);
  const { approval, refusal, ...rest } = a;
  let next: Announcement;
  if (decision === "approve") {
    if (approval && approval.by.sub === staff.sub) return viewOf(deps, a, { estimate: true });
    await recordStaffAction(deps, staff, "announcement.approve", id, { version: a.version, author: nameOf(a.lastEditedBy ?? a.createdBy), ...(refusal ? { replacesRefusalBy: nameOf(refusal.by) } : {}) });
    next = { ...rest, approval: { by: actorOf(staff), at, version: a.version + 1 }, updatedAt: at, version: a.version + 1 };
  } else {
    await recordStaffAction(deps, staff, "announcement.refuse", id, { version: a.version, reason: reason!, author: nameOf(a.lastEditedBy ?? a.createdBy) });
    if (approval) await recordStaffAction(deps, staff, "announcement.approval-void", id, { approvedBy: nameOf(approval.by), approvedVersion: approval.version, reason: "refused" });
    next = { ...rest, refusal: { by: actorOf(staff), at, reason: reason! }, updatedAt: at, version: a.version + 1 };
  }
  if (!(await deps.announcements.replaceAnnouncement(next, a.version))) {
    if (attempt < 3) return reviewAnnouncement(deps, staff, id, body, attempt + 1);
    throw new AppError(409, "version_conflict", "The announcement kept changing while it was being reviewed; reload it and try again.");
  }
  return viewOf(deps, next, { estimate: true });
}

/** `POST …/refuse { reason }`: the same as `POST …/approve { "decision": "refuse", reason }`. */
export function refuseAnnouncement(deps: AnnouncementDeps, staff: StaffIdentity, id: string, body: unknown): Promise<AnnouncementView> {
  const given = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if ("decision" in given && given.decision !== "refuse") throw new AppError(400, "validation_failed", 'decision: this route only refuses; leave decision out.', [{ field: "decision", message: "This route only refuses; leave decision out." }]);
  return reviewAnnouncement(deps, staff, id, { ...given, decision: "refuse" });
}

/** What `POST …/checks` answers: every check's findings, the audience, and the four-eyes status. */
export interface ChecksReport {
  id: string;
  version: number;
  /** Whether a send may go ahead: no errors (warnings still need acknowledging). */
  ok: boolean;
  errors: CheckId[];
  warnings: CheckId[];
  checks: CheckResult[];
  audience: AudienceByLanguage & { total: number };
  approval: ApprovalStatus;
}

/**
 * Runs every pre-send check on a saved announcement: the ones a send runs (size, subject, images,
 * link safety, missing languages, audience), plus link reachability through the probe, which only
 * ever warns (and a send does not run it: a slow or flaky site must not decide a send).
 */
export async function checkAnnouncement(deps: AnnouncementDeps & { links: LinkProbe }, id: string): Promise<ChecksReport> {
  const a = await load(deps, id);
  const { results, audience } = await sendChecks(deps, a);
  const links = linksToProbe(
    languagesOf(a).flatMap((l) => authoredLinks({ bodyHtml: bodyHtmlOf(a, l), ...(a.cta ? { ctaUrl: a.cta.url } : {}) })),
    deps.publicUrl,
  );
  const checks = [...results, await checkLinkReachability(deps.links, links)];
  const total = audience.sv + audience.en;
  const errors = failing(checks, "error");
  return {
    id,
    version: a.version,
    ok: errors.length === 0,
    errors,
    warnings: failing(checks, "warning"),
    checks,
    audience: { ...audience, total },
    approval: approvalStatus(a, total, deps.approvalThreshold),
  };
}

