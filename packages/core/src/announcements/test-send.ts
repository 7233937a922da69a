import { recordStaffAction, type AuditLog } from "../audit";
import { classifySendError, withBackoff, type Mailer, type SendPacer } from "../campaigns";
import { AppError, type FieldProblem, zodProblems } from "../shared/errors";
import type { StaffIdentity } from "../staff";
import { teamReplyTo, type MissionDirectory } from "../shared/missions";
import type { SuppressionList } from "../subscription";
import type { Clock, Ids } from "../platform/ports";
import { normaliseAddress, addressHmac } from "../shared/email-address";
import type { Language } from "../shared/vocabulary";
import { renderPreview, type Announcements, type CompileAnnouncement } from "./announcement";
import { ANNOUNCEMENT_ID, TestSendInput, languagesOf } from "./schema";

/** What a test send needs: the announcement, suppression lookups, the mailer and the shared pacer, and the MJML compiler. */
export interface TestSendDeps {
  announcements: Announcements;
  store: MissionDirectory & Pick<SuppressionList, "suppressedAmong">;
  mailer: Mailer;
  pacer: SendPacer;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  compile: CompileAnnouncement;
  publicUrl: string;
  addressPepper: string;
  /** The service's general reply address; a test of an announcement for one mission takes its team's. */
  replyTo: string;
  /** The configuration set without open and click tracking. */
  configurationSet?: string;
  /** Longest wait for a slot in the shared send rate before answering 503. */
  maxPacingWaitMs?: number;
}

/** What a test send did, counted: never the addresses. */
export interface TestSendResult {
  /** Emails sent: addresses × languages. */
  sent: number;
  /** Addresses left out because they are on the suppression list (a hard bounce, a complaint). */
  suppressed: number;
  /** Emails SES refused. */
  failed: number;
  languages: Language[];
}

/**
 * Sends a visibly marked test of an announcement ("[TEST]" before the subject and a banner at the
 * top) to at most ten addresses, once per language (by default every language the announcement has;
 * naming a language it lacks shows the fallback with its note). The addresses are used for the sends
 * and forgotten: they are not stored, queued or logged, and the audit log records how many there
 * were, not who. The sends take their slots from the same account-wide rate as every campaign, and
 * carry no campaign tag, so SES feedback on them moves no announcement counter.
 */
export async function testSendAnnouncement(deps: TestSendDeps, staff: StaffIdentity, id: string, body: unknown): Promise<TestSendResult> {
  const parsed = TestSendInput.safeParse(body);
  if (!parsed.success) {
    const fields = zodProblems(parsed.error);
    throw new AppError(400, "validation_failed", fields.map((f) => `${f.field}: ${f.message}`).join("; "), fields);
  }
  const problems: FieldProblem[] = [];
  const addresses = new Set<string>();
  parsed.data.to.forEach((input, i) => {
    const result = normaliseAddress(input);
    if (result.ok) addresses.add(result.address);
    else problems.push({ field: `to.${i}`, message: result.reason });
  });
  if (problems.length) throw new AppError(400, "validation_failed", problems.map((f) => `${f.field}: ${f.message}`).join("; "), problems);

  const a = ANNOUNCEMENT_ID.test(id) ? await deps.announcements.getAnnouncement(id) : undefined;
  if (!a) throw new AppError(404, "announcement_not_found", `No announcement with id "${id.slice(0, 40)}".`);
  const languages = [...new Set(parsed.data.languages ?? languagesOf(a))];

  await recordStaffAction(deps, staff, "announcement.test", id, { recipients: addresses.size, languages });

  const hmacs = new Map([...addresses].map((address) => [address, addressHmac(address, deps.addressPepper)]));
  const suppressedHmacs = await deps.store.suppressedAmong([...hmacs.values()]);
  const recipients = [...addresses].filter((address) => !suppressedHmacs.has(hmacs.get(address)!));
  const emails = await Promise.all(languages.map((language) => renderPreview(deps, a, language, { test: true })));

  const count = recipients.length * emails.length;
  if (count) {
    const reservation = await deps.pacer.reserve(count, deps.clock.now(), deps.maxPacingWaitMs ?? 10_000);
    if ("retryAfterMs" in reservation) {
      const seconds = Math.max(1, Math.ceil(reservation.retryAfterMs / 1000));
      throw new AppError(503, "send_rate_busy", `Sending is at its rate limit right now; try the test again in ${seconds} s.`, undefined, { "retry-after": String(seconds) });
    }
    const wait = reservation.startAt - deps.clock.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const replyTo = teamReplyTo(a.missions, await deps.store.listMissions()) ?? deps.replyTo;
  let sent = 0;
  let failed = 0;
  for (const email of emails) {
    for (const to of recipients) {
      try {
        const outcome = await withBackoff(() =>
          deps.mailer.send({
            to,
            replyTo,
            subject: email.subject,
            html: email.html,
            text: email.text,
            tags: { kind: "announcement-test" },
            ...(deps.configurationSet ? { configurationSet: deps.configurationSet } : {}),
          }),
        );
        if ("gaveUp" in outcome) throw outcome.gaveUp;
        sent++;
      } catch (err) {
        if (classifySendError(err) !== "rejected") {
          throw new AppError(503, "mail_unavailable", `The email service did not take the test (${sent} of ${count} sent); try again shortly.`, undefined, { "retry-after": "5" });
        }
        failed++;
      }
    }
  }
  return { sent, suppressed: addresses.size - recipients.length, failed, languages };
}
