import * as z from "zod";
import type { Clock } from "../platform/ports";
import type { Mailer } from "./ports";
import type { MissionDirectory } from "../shared/missions";
import type { MailRequestClaims, SubscriberProfiles, SuppressionList } from "../subscription";
import type { MailJob } from "../shared/jobs";
import { issueToken } from "../shared/tokens";
import { withBackoff } from "./backoff";
import { renderTransactional } from "../emails";

/** The body of a transactional send-queue message: ids only, never an address. */
export const MailJobSchema = z.object({
  kind: z.enum(["confirm", "already-subscribed", "data-export", "data-erase"]),
  subscriberId: z.string().min(1).max(64),
  requestId: z.string().min(1).max(64),
});

export interface TransactionalDeps {
  store: SubscriberProfiles & SuppressionList & MailRequestClaims & MissionDirectory;
  mailer: Mailer;
  clock: Clock;
  tokenKeys: string[];
  publicUrl: string;
  /** The service's general reply address: account mail is not about one mission. */
  replyTo: string;
  configurationSet?: string;
}

export type TransactionalOutcome = "sent" | "skipped_state" | "skipped_suppressed" | "skipped_duplicate";

/**
 * Sends one transactional email (confirmation, "you already subscribe", or a data-rights link) for a queued job. The
 * subscriber's state is re-read at send time, suppressed addresses are never mailed, and a redelivered
 * job is sent at most once: the job's request id is claimed before the send and given back if the send
 * fails. A crash between SES accepting the email and the claim being kept cannot double-send; a crash
 * after the claim and before the send loses that one email, and signing up again sends a new one.
 */
export async function sendTransactional(deps: TransactionalDeps, job: MailJob): Promise<TransactionalOutcome> {
  const now = deps.clock.now();
  const subscriber = await deps.store.getSubscriber(job.subscriberId, now);
  // Data-rights links go to anyone we still hold data for, unsubscribed or not.
  const wanted = job.kind === "confirm" ? ["pending"] : job.kind === "already-subscribed" ? ["active"] : ["pending", "active", "unsubscribed"];
  if (!subscriber || !wanted.includes(subscriber.status)) return "skipped_state";
  const suppression = await deps.store.suppression(subscriber.addressHmac);
  // An erased person who signs up again is asked to confirm; confirming lifts the "erased" suppression.
  if (suppression && !(job.kind === "confirm" && suppression.reason === "erased")) return "skipped_suppressed";
  if (!(await deps.store.claimMailRequest(subscriber.id, job.requestId))) return "skipped_duplicate";

  const base = deps.publicUrl.replace(/\/$/, "");
  const lang = subscriber.language;
  let values: Record<string, string>;
  if (job.kind === "confirm") {
    const missions = await deps.store.listMissions();
    const names = subscriber.missions.map((id) => missions.find((m) => m.id === id)?.name[lang] ?? id);
    values = { confirmUrl: `${base}/confirm?token=${issueToken(deps.tokenKeys, "confirm", subscriber.id, now)}&lang=${lang}`, missionList: names.join(", ") };
  } else if (job.kind === "already-subscribed") {
    values = { preferencesUrl: `${base}/preferences?token=${issueToken(deps.tokenKeys, "manage", subscriber.id, now)}&lang=${lang}` };
  } else {
    const action = job.kind === "data-export" ? "export" : "erase";
    values = { dataUrl: `${base}/me?token=${issueToken(deps.tokenKeys, "data-rights", subscriber.id, now)}&action=${action}&lang=${lang}` };
  }
  const email = renderTransactional(job.kind, subscriber.language, { ...values, siteUrl: base });
  try {
    // Throttling and 5xx are retried here with backoff first; only a lasting failure goes back to the queue.
    const outcome = await withBackoff(() =>
      deps.mailer.send({
        to: subscriber.email,
        replyTo: deps.replyTo,
        ...email,
        ...(deps.configurationSet ? { configurationSet: deps.configurationSet } : {}),
        tags: { kind: job.kind.replace(/[^A-Za-z0-9_-]/g, "_") },
      }),
    );
    if ("gaveUp" in outcome) throw outcome.gaveUp;
  } catch (err) {
    // Not sent: give the claim back so the queue's retry can send it.
    await deps.store.releaseMailRequest(subscriber.id, job.requestId);
    throw err;
  }
  return "sent";
}
