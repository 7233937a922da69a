import * as z from "zod";
import type { Clock } from "../platform/ports";
import type { Mailer } from "./ports";
import type { MissionDirectory } from "../shared/missions";
import type { MailRequestClaims, SubscriberProfiles, SuppressionList } from "../subscription";
import type { MailJob } from "../shared/jobs";
import { issueToken } from "../shared/tokens";
import { withBackoff } from "./backoff";
import { renderTransactional, transactionalString, formatDate, type SectionValues } from "../emails";
import type { Subscriber } from "../subscription";
import type { Mission } from "../shared/missions";
import { recipientLinks } from "./recipient-links";
import { countService, type ServiceTotals } from "../stats";

/** The body of a transactional send-queue message: ids only, never an address. */
export const MailJobSchema = z.object({
  kind: z.enum(["confirm", "already-subscribed", "data-export", "data-erase", "welcome"]),
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
  /** The mailto: of List-Unsubscribe, for the welcome (the one list email among these). */
  unsubscribeMailto: string;
  /** When the next digest of a cadence goes out after a time (the digest calendar's `nextDigestRun`). */
  nextDigestRun: (cadence: "daily" | "weekly" | "monthly", afterMs: number) => number;
  /** Service-wide daily totals (the health view): transactional mail counts in the rates' denominator too. */
  totals?: ServiceTotals;
}

export type TransactionalOutcome = "sent" | "skipped_state" | "skipped_suppressed" | "skipped_duplicate";

/**
 * The welcome's values for a newly confirmed subscriber: the missions they follow (by name, each
 * linking to its archive, where the latest editions are), their topics and cadence, when their next
 * email comes (the digest calendar's next run for a digest cadence; as soon as something is
 * published for immediate alerts), and the preference and one-click unsubscribe links and headers
 * every list email carries.
 */
export function welcomeEmail(
  deps: Pick<TransactionalDeps, "publicUrl" | "tokenKeys" | "unsubscribeMailto" | "nextDigestRun">,
  subscriber: Pick<Subscriber, "id" | "language" | "missions" | "topics" | "cadence" | "cadenceByMission">,
  missions: Pick<Mission, "id" | "name">[],
  nowMs: number,
): { values: Record<string, string>; sections: SectionValues; headers: Record<string, string> } {
  const base = deps.publicUrl.replace(/\/$/, "");
  const lang = subscriber.language;
  const langQuery = lang === "sv" ? "" : `?lang=${lang}`;
  const links = recipientLinks(base, deps.tokenKeys, subscriber.id, nowMs, deps.unsubscribeMailto);
  const next =
    subscriber.cadence === "immediate"
      ? transactionalString(lang, "welcome.next.immediate")
      : transactionalString(lang, `welcome.next.${subscriber.cadence}`).replace("{date}", formatDate(new Date(deps.nextDigestRun(subscriber.cadence, nowMs)).toISOString(), lang));
  return {
    values: {
      topicList: subscriber.topics.map((t) => transactionalString(lang, `welcome.topic.${t}`)).join(", "),
      cadence: transactionalString(lang, `welcome.cadence.${subscriber.cadence}`),
      nextEmail: next,
      preferencesUrl: `${links.preferencesUrl}&lang=${lang}`,
      unsubscribeUrl: `${links.unsubscribeUrl}&lang=${lang}`,
    },
    sections: {
      // A mission followed at a cadence of its own says so after its name.
      missions: subscriber.missions.map((id) => ({
        name: [missions.find((m) => m.id === id)?.name[lang] ?? id, ...(subscriber.cadenceByMission?.[id] && subscriber.cadenceByMission[id] !== subscriber.cadence ? [transactionalString(lang, `welcome.cadence.${subscriber.cadenceByMission[id]}`)] : [])].join(": "),
        archiveUrl: `${base}/missions/${encodeURIComponent(id)}/archive${langQuery}`,
      })),
    },
    headers: links.headers,
  };
}

/**
 * Sends one transactional email (confirmation, "you already subscribe", the welcome after a
 * confirmation, or a data-rights link) for a queued job. The
 * subscriber's state is re-read at send time, suppressed addresses are never mailed, and a redelivered
 * job is sent at most once: the job's request id is claimed before the send and given back if the send
 * fails. A crash between SES accepting the email and the claim being kept cannot double-send; a crash
 * after the claim and before the send loses that one email, and signing up again sends a new one.
 */
export async function sendTransactional(deps: TransactionalDeps, job: MailJob): Promise<TransactionalOutcome> {
  const now = deps.clock.now();
  const subscriber = await deps.store.getSubscriber(job.subscriberId, now);
  // Data-rights links go to anyone we still hold data for, unsubscribed or not.
  const wanted = job.kind === "confirm" ? ["pending"] : job.kind === "already-subscribed" || job.kind === "welcome" ? ["active"] : ["pending", "active", "unsubscribed"];
  if (!subscriber || !wanted.includes(subscriber.status)) return "skipped_state";
  const suppression = await deps.store.suppression(subscriber.addressHmac);
  // An erased person who signs up again is asked to confirm; confirming lifts the "erased" suppression.
  if (suppression && !(job.kind === "confirm" && suppression.reason === "erased")) return "skipped_suppressed";
  if (!(await deps.store.claimMailRequest(subscriber.id, job.requestId))) return "skipped_duplicate";

  const base = deps.publicUrl.replace(/\/$/, "");
  const lang = subscriber.language;
  let values: Record<string, string>;
  let sections: SectionValues = {};
  let headers: Record<string, string> | undefined;
  if (job.kind === "welcome") {
    const welcome = welcomeEmail(deps, subscriber, await deps.store.listMissions(), now);
    ({ values, sections, headers } = welcome);
  } else if (job.kind === "confirm") {
    const missions = await deps.store.listMissions();
    const names = subscriber.missions.map((id) => missions.find((m) => m.id === id)?.name[lang] ?? id);
    values = { confirmUrl: `${base}/confirm?token=${issueToken(deps.tokenKeys, "confirm", subscriber.id, now)}&lang=${lang}`, missionList: names.join(", ") };
  } else if (job.kind === "already-subscribed") {
    values = { preferencesUrl: `${base}/preferences?token=${issueToken(deps.tokenKeys, "manage", subscriber.id, now)}&lang=${lang}` };
  } else {
    const action = job.kind === "data-export" ? "export" : "erase";
    // The link is bound to its action and carries the request's id, under which its uses are counted.
    const token = issueToken(deps.tokenKeys, "data-rights", subscriber.id, now, { action, id: job.requestId });
    values = { dataUrl: `${base}/me?token=${token}&action=${action}&lang=${lang}` };
  }
  const email = renderTransactional(job.kind, subscriber.language, { ...values, siteUrl: base }, sections);
  try {
    // Throttling and 5xx are retried here with backoff first; only a lasting failure goes back to the queue.
    const outcome = await withBackoff(() =>
      deps.mailer.send({
        to: subscriber.email,
        replyTo: deps.replyTo,
        ...email,
        ...(headers ? { headers } : {}),
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
  await countService(deps.totals, { sent: 1 }, job.requestId, deps.clock.now());
  return "sent";
}
