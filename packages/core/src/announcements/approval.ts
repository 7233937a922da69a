import { AppError } from "../shared/errors";
import { hasRole, roleRequiredMessage, type StaffIdentity } from "../staff";
import type { Actor, Announcement } from "./schema";

/** A send or schedule to more recipients than this needs a second publisher's approval (APPROVAL_THRESHOLD). */
export const DEFAULT_APPROVAL_THRESHOLD = 100;

/** Who wrote the announcement's content last: its creator until someone edits it. */
export const lastEditorOf = (a: Pick<Announcement, "createdBy" | "lastEditedBy">): Actor => a.lastEditedBy ?? a.createdBy;

/** How staff name a person: the address where the token gave one, else the subject id. */
export const nameOf = (actor: Actor): string => actor.email ?? actor.sub;

/** Whether a send to `audience` recipients needs an approval: strictly more than the threshold. */
export const needsApproval = (audience: number, threshold: number): boolean => audience > threshold;

/** Who must act next on an announcement that is not sent yet. */
export type NextStep =
  /** A publisher other than the last editor must approve it (or refuse it). */
  | "approval"
  /** A publisher refused it: the author edits it (which clears the refusal) or another publisher approves it. */
  | "edit"
  /** Nothing stands in the way: a publisher may send or schedule it. */
  | "send"
  /** It is scheduled, sending or finished: nobody needs to act. */
  | "none";

/** Where an announcement stands on the four-eyes rule, as the API and the console show it. */
export interface ApprovalStatus {
  /** Whether this send needs an approval: its audience is above the threshold. */
  required: boolean;
  threshold: number;
  audience: number;
  /** The last editor, who may not approve it. */
  author: Actor;
  approval?: Announcement["approval"];
  refusal?: Announcement["refusal"];
  next: NextStep;
}

/** The four-eyes status of an announcement with an audience of `audience` today. */
export function approvalStatus(a: Announcement, audience: number, threshold: number): ApprovalStatus {
  const required = needsApproval(audience, threshold);
  const open = a.state === "draft";
  const next: NextStep = !open ? "none" : required && !a.approval ? (a.refusal ? "edit" : "approval") : "send";
  return {
    required,
    threshold,
    audience,
    author: lastEditorOf(a),
    ...(a.approval ? { approval: a.approval } : {}),
    ...(a.refusal ? { refusal: a.refusal } : {}),
    next,
  };
}

/** 403 `role_required` unless the identity is a publisher. */
export function requirePublisher(staff: Pick<StaffIdentity, "groups">): void {
  if (!hasRole(staff, "publisher")) throw new AppError(403, "role_required", roleRequiredMessage("publisher"), [{ field: "role", message: "The publisher role is needed." }]);
}

/**
 * Refuses a decision (an approval or a refusal) that the four-eyes rule does not allow: it must come
 * from a publisher (403 `role_required`) other than the author of the last edit (403 `four_eyes`).
 */
export function checkReviewer(a: Announcement, reviewer: StaffIdentity): void {
  requirePublisher(reviewer);
  const author = lastEditorOf(a);
  if (author.sub === reviewer.sub) {
    throw new AppError(403, "four_eyes", `${nameOf(author)} wrote the last edit, so the decision must come from another publisher.`);
  }
}

/** The 409 a send or schedule above the threshold gets without an approval, naming who must act. */
export function approvalRequired(a: Announcement, audience: number, threshold: number): AppError {
  const author = nameOf(lastEditorOf(a));
  const refused = a.refusal ? ` ${nameOf(a.refusal.by)} refused it: "${a.refusal.reason}".` : "";
  return new AppError(
    409,
    "approval_required",
    `This goes to ${audience} recipients, more than ${threshold}: it needs an approval by a publisher other than ${author}, who wrote the last edit.${refused}`,
  );
}
