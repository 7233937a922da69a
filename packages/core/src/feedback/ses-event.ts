import * as z from "zod";

/** The source of SES's events on the default EventBridge bus. */
export const SES_SOURCE = "aws.ses";

/**
 * The detail-types of SES's sending events on EventBridge, as the feedback rule matches them. Not
 * "Email Sent": the configuration sets do not publish Send events (stacks/mail.ts).
 */
export const SES_DETAIL_TYPES = [
  "Email Delivered",
  "Email Bounced",
  "Email Complaint Received",
  "Email Rejected",
  "Email Rendering Failed",
  "Email Delivery Delayed",
  "Email Opened",
  "Email Clicked",
] as const;

const address = z.string().min(3).max(320);
const recipients = (key: string) => z.array(z.object({ [key]: address }).passthrough()).min(1).max(50);

/**
 * The part of an SES event's `detail` the feedback handler reads. SES sends much more (headers,
 * SMTP responses); unknown fields pass through untouched. `mail.tags` carries the tags we sent with
 * the email (campaign, batch, recipient), each as a one-element list.
 */
export const SesEventDetail = z.object({
  eventType: z.enum(["Send", "Delivery", "Bounce", "Complaint", "Reject", "Rendering Failure", "DeliveryDelay", "Open", "Click", "Subscription"]),
  mail: z
    .object({
      messageId: z.string().min(1).max(200),
      timestamp: z.string().optional(),
      destination: z.array(address).max(50).optional(),
      tags: z.record(z.string(), z.array(z.string().max(256))).optional(),
    })
    .passthrough(),
  bounce: z
    .object({
      bounceType: z.enum(["Permanent", "Transient", "Undetermined"]),
      bounceSubType: z.string().optional(),
      bouncedRecipients: recipients("emailAddress"),
      timestamp: z.string().optional(),
    })
    .passthrough()
    .optional(),
  complaint: z.object({ complainedRecipients: recipients("emailAddress"), timestamp: z.string().optional() }).passthrough().optional(),
  failure: z.object({ errorMessage: z.string().max(2000), templateName: z.string().optional() }).passthrough().optional(),
  reject: z.object({ reason: z.string().max(2000) }).passthrough().optional(),
}).passthrough().superRefine((d, ctx) => {
  const needs: Partial<Record<typeof d.eventType, "bounce" | "complaint" | "failure">> = { Bounce: "bounce", Complaint: "complaint", "Rendering Failure": "failure" };
  const field = needs[d.eventType];
  if (field && !d[field]) ctx.addIssue({ code: "custom", path: [field], message: `A ${d.eventType} event needs its "${field}" object.` });
});

export type SesEventDetail = z.infer<typeof SesEventDetail>;
