import { AppError } from "../shared/errors";
import { unsubscribe, type UnsubscribeDeps } from "./unsubscribe";

/** A received email, as SES receiving reports it: only what the unsubscribe needs, never the body. */
export interface ReceivedUnsubscribeEmail {
  /** The Subject header; the `mailto:` of List-Unsubscribe sets it to `unsubscribe <manage token>`. */
  subject?: string | undefined;
  /** The envelope recipients (our addresses), where a token may also ride as `unsubscribe+<token>@…`. */
  recipients: string[];
  /** SES's spam and virus verdicts ("PASS", "FAIL", "GRAY", "PROCESSING_FAILED"). */
  spamVerdict?: string | undefined;
  virusVerdict?: string | undefined;
}

export type EmailUnsubscribeOutcome =
  | { outcome: "unsubscribed" | "gone" }
  | { outcome: "ignored"; reason: "no_token" | "invalid_token" | "expired_token" | "spam" | "virus" };

/** A manage token: two base64url parts joined by a dot (see shared/tokens.ts). */
const TOKEN = "[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}";
const IN_SUBJECT = new RegExp(`\\bunsubscribe\\s+(${TOKEN})`, "i");
const IN_RECIPIENT = new RegExp(`^[^@+]+\\+(${TOKEN})@`);

/**
 * The manage token in an unsubscribe email: from the subject that the `mailto:` in List-Unsubscribe
 * sets ("unsubscribe <token>", whatever a mail client puts before it, such as "Re:" or "SV:"), or
 * else from a recipient's plus part (`unsubscribe+<token>@…`).
 */
export function tokenInUnsubscribeEmail(mail: Pick<ReceivedUnsubscribeEmail, "subject" | "recipients">): string | undefined {
  const inSubject = IN_SUBJECT.exec(mail.subject ?? "");
  if (inSubject) return inSubject[1];
  for (const recipient of mail.recipients) {
    const plus = IN_RECIPIENT.exec(recipient);
    if (plus) return plus[1];
  }
  return undefined;
}

/**
 * Unsubscribes the subscriber whose manage token an email to the `mailto:` List-Unsubscribe address
 * carries, through the same use case as the one-click POST: from everything, with a withdrawal in the
 * ledger, holding from the next send. Mail that SES marks as spam or a virus, and mail without a valid
 * token, changes nothing and is answered with why (for the log; the sender is never written back to).
 */
export async function unsubscribeByEmail(deps: UnsubscribeDeps, mail: ReceivedUnsubscribeEmail): Promise<EmailUnsubscribeOutcome> {
  if (mail.virusVerdict === "FAIL") return { outcome: "ignored", reason: "virus" };
  if (mail.spamVerdict === "FAIL") return { outcome: "ignored", reason: "spam" };
  const token = tokenInUnsubscribeEmail(mail);
  if (!token) return { outcome: "ignored", reason: "no_token" };
  try {
    const result = await unsubscribe(deps, token);
    return { outcome: result.status };
  } catch (err) {
    if (err instanceof AppError && (err.code === "invalid_token" || err.code === "token_expired")) {
      return { outcome: "ignored", reason: err.code === "invalid_token" ? "invalid_token" : "expired_token" };
    }
    throw err;
  }
}
