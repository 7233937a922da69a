import type { IncomingMessage, ServerResponse } from "node:http";
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { campaignTag } from "@mission-mail/core/shared/campaign-tags";
import { SES_SOURCE } from "@mission-mail/core/feedback/ses-event";
import type { EventPublisher } from "@mission-mail/core/platform/ports";
import { addressHmac } from "@mission-mail/core/shared/email-address";
import { DELIVERY_PREFIX, addressKey, subscriberKey } from "@mission-mail/core/platform/table-keys";

/** The local route that injects SES feedback events, since the mailbox emulator emits none. */
export const SES_EVENTS_PATH = "/_local/ses-events";

/** Shorthand event kinds the route turns into SES's own event format. */
const KINDS = {
  bounce: { detailType: "Email Bounced", eventType: "Bounce" },
  "soft-bounce": { detailType: "Email Bounced", eventType: "Bounce" },
  complaint: { detailType: "Email Complaint Received", eventType: "Complaint" },
  delivery: { detailType: "Email Delivered", eventType: "Delivery" },
  reject: { detailType: "Email Rejected", eventType: "Reject" },
  "rendering-failure": { detailType: "Email Rendering Failed", eventType: "Rendering Failure" },
  delay: { detailType: "Email Delivery Delayed", eventType: "DeliveryDelay" },
  open: { detailType: "Email Opened", eventType: "Open" },
  click: { detailType: "Email Clicked", eventType: "Click" },
} as const;

export type SesEventKind = keyof typeof KINDS;

interface Context {
  mailboxUrl: string;
  doc: DynamoDBDocumentClient;
  table: string;
  bus: EventPublisher;
  pepper: () => string;
}

/**
 * Builds the EventBridge event SES would publish for an email in the local mailbox: its recipients,
 * and the tags it was sent with (campaign, batch, recipient), which are found through the
 * recipient's delivery record since the mailbox does not keep tags.
 */
async function eventFor(ctx: Context, kind: SesEventKind, messageId: string) {
  const store = (await (await fetch(`${ctx.mailboxUrl}/store`)).json()) as { emails: { messageId: string; destination: { to: string[] } }[] };
  const mail = store.emails.find((e) => e.messageId === messageId);
  if (!mail) return undefined;
  const to = mail.destination.to;
  const tags: Record<string, string[]> = { "ses:configuration-set": ["local"] };
  const lookup = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: addressKey(addressHmac(to[0]!, ctx.pepper())) }));
  const subscriberId = lookup.Item?.subscriberId as string | undefined;
  if (subscriberId) {
    const history = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :p)",
        ExpressionAttributeValues: { ":pk": subscriberKey(subscriberId).PK, ":p": DELIVERY_PREFIX },
      }),
    );
    const delivery = history.Items?.find((d) => d.messageId === messageId);
    if (delivery) Object.assign(tags, { campaign: [campaignTag(delivery.campaign as string)], batch: [String(delivery.batch)], recipient: [subscriberId] });
  }
  const now = new Date().toISOString();
  const recipients = to.map((emailAddress) => ({ emailAddress }));
  const { detailType, eventType } = KINDS[kind];
  const detail: Record<string, unknown> = { eventType, mail: { timestamp: now, messageId, destination: to, tags } };
  if (kind === "bounce") detail.bounce = { bounceType: "Permanent", bounceSubType: "General", bouncedRecipients: recipients, timestamp: now };
  if (kind === "soft-bounce") detail.bounce = { bounceType: "Transient", bounceSubType: "MailboxFull", bouncedRecipients: recipients, timestamp: now };
  if (kind === "complaint") detail.complaint = { complainedRecipients: recipients, complaintFeedbackType: "abuse", timestamp: now };
  if (kind === "delivery") detail.delivery = { timestamp: now, recipients: to, smtpResponse: "250 2.0.0 OK" };
  if (kind === "reject") detail.reject = { reason: "Bad content" };
  if (kind === "rendering-failure") detail.failure = { errorMessage: "Attribute 'name' is not present in the rendering data.", templateName: "inline" };
  if (kind === "delay") detail.deliveryDelay = { delayType: "MailboxFull", delayedRecipients: recipients, timestamp: now };
  return { source: SES_SOURCE, detailType, detail };
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/**
 * `POST /_local/ses-events` (local only): `{ "type": "bounce" | "soft-bounce" | "complaint" |
 * "delivery" | "reject" | "rendering-failure" | "delay" | "open" | "click", "messageId": "<id from
 * the mailbox>" }` publishes the matching SES event on the local bus, where the feedback handler
 * takes it as it would from EventBridge in AWS. A complete SES event (`source`, `detail-type`,
 * `detail`) is published as it is.
 */
export function sesEventsRoute(ctx: Context) {
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (url.pathname !== SES_EVENTS_PATH) return false;
    if (req.method !== "POST") {
      reply(res, 405, { error: { code: "method_not_allowed", message: `Use POST on ${SES_EVENTS_PATH}.` } });
      return true;
    }
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reply(res, 400, { error: { code: "invalid_json", message: "Send a JSON object." } });
      }
      if (typeof body["detail-type"] === "string" && body.detail !== undefined) {
        await ctx.bus.publish([{ source: String(body.source ?? SES_SOURCE), detailType: body["detail-type"], detail: body.detail }]);
        return reply(res, 202, { published: body["detail-type"] });
      }
      const kind = body.type as SesEventKind;
      if (typeof body.type !== "string" || !Object.hasOwn(KINDS, kind) || typeof body.messageId !== "string") {
        return reply(res, 400, { error: { code: "validation_failed", message: `Send { "type": one of ${Object.keys(KINDS).join(", ")}, "messageId": an id from the mailbox }.` } });
      }
      const event = await eventFor(ctx, kind, body.messageId);
      if (!event) return reply(res, 404, { error: { code: "not_found", message: `No email ${body.messageId.slice(0, 100)} in the local mailbox.` } });
      await ctx.bus.publish([event]);
      reply(res, 202, { published: event.detailType, tags: (event.detail.mail as { tags: unknown }).tags });
    })().catch((err: Error) => reply(res, 500, { error: { code: "internal_error", message: err.message } }));
    return true;
  };
}
