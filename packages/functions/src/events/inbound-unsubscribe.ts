import type { SESEvent } from "aws-lambda";
import * as z from "zod";
import { unsubscribeByEmail } from "@mission-mail/core/subscription/unsubscribe-by-email";
import { logger } from "../lib/logger";
import { zodReasons } from "../lib/poison";
import { unsubscribing } from "../wiring/subscription";
import { lambdaWiring } from "../wiring/lambda";
import type { Wiring } from "../wiring/wiring";

const verdict = z.object({ status: z.string() }).optional();

/** What the function reads of an SES receipt event: per record, the subject, the recipients and the verdicts. */
const SesReceipt = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal("aws:ses"),
        ses: z.object({
          mail: z.object({ messageId: z.string(), commonHeaders: z.object({ subject: z.string().optional() }).passthrough() }).passthrough(),
          receipt: z.object({ recipients: z.array(z.string()).min(1), spamVerdict: verdict, virusVerdict: verdict }).passthrough(),
        }),
      }),
    )
    .min(1),
});

/**
 * Target of the SES receipt rule for the `mailto:` address in List-Unsubscribe (built with
 * INBOUND_UNSUBSCRIBE=1, see docs/deploy.md): each received email's manage token, from its subject
 * (`unsubscribe <token>`) or a `unsubscribe+<token>@` recipient, unsubscribes its subscriber through
 * the same use case as the one-click POST. An email without a valid token changes nothing. An event
 * that is not an SES receipt goes to the feedback dead-letter queue with its reason; any other failure
 * throws, so Lambda's async invocation retries it (unsubscribing is idempotent). Logs carry SES's
 * message id and the outcome, never an address.
 */
export async function run(event: SESEvent | unknown, _context: unknown, wiring: Wiring | Promise<Wiring>): Promise<{ outcomes: string[] }> {
  const w = await wiring;
  const parsed = SesReceipt.safeParse(event);
  if (!parsed.success) {
    const reason = `not an SES receipt event: ${zodReasons(parsed.error)}`;
    logger.error("poison inbound email event moved to the dead-letter queue", { reason });
    await w.platform.feedbackDeadLetters.put(JSON.stringify(event), reason);
    return { outcomes: [] };
  }
  const outcomes: string[] = [];
  for (const { ses } of parsed.data.Records) {
    const result = await unsubscribeByEmail(unsubscribing(w), {
      subject: ses.mail.commonHeaders.subject,
      recipients: ses.receipt.recipients,
      spamVerdict: ses.receipt.spamVerdict?.status,
      virusVerdict: ses.receipt.virusVerdict?.status,
    });
    outcomes.push(result.outcome === "ignored" ? `ignored:${result.reason}` : result.outcome);
    logger.info("unsubscribe by email", { messageId: ses.mail.messageId, ...result });
  }
  return { outcomes };
}

/** The Lambda function: the receipt rule's action on the process-wide wiring. */
export const handler = (event: SESEvent, context?: unknown) => run(event, context, lambdaWiring());
