import { SESv2Client, SendBulkEmailCommand, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { BulkEmail, BulkEntryResult, Mailer, OutgoingEmail } from "./ports";

const nameValues = (record: Record<string, string> | undefined) => (record ? Object.entries(record).map(([Name, Value]) => ({ Name, Value })) : undefined);

/**
 * SES v2 implementation of the mailer. Single emails go as Simple content and bulk sends as inline
 * template content; both keep custom headers (List-Unsubscribe), unlike Raw. From is always the
 * verified sending identity; replies go to the email's Reply-To. The SDK's own retries are
 * off: the sender backs off itself, so throttling is counted and paced rather than hidden.
 */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;

  constructor(
    options: { region: string; endpoint?: string },
    private readonly from: string,
  ) {
    this.client = new SESv2Client({
      region: options.region,
      maxAttempts: 1,
      ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    });
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        ReplyToAddresses: [email.replyTo],
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: "UTF-8" },
            Body: { Html: { Data: email.html, Charset: "UTF-8" }, Text: { Data: email.text, Charset: "UTF-8" } },
            ...(email.headers ? { Headers: nameValues(email.headers) } : {}),
          },
        },
        ...(email.configurationSet ? { ConfigurationSetName: email.configurationSet } : {}),
        ...(email.tags ? { EmailTags: nameValues(email.tags) } : {}),
      }),
    );
    return { messageId: out.MessageId ?? "" };
  }

  async sendBulk(email: BulkEmail): Promise<BulkEntryResult[]> {
    const out = await this.client.send(
      new SendBulkEmailCommand({
        FromEmailAddress: this.from,
        ReplyToAddresses: [email.replyTo],
        DefaultContent: {
          Template: {
            TemplateContent: { Subject: email.template.subject, Html: email.template.html, Text: email.template.text },
            TemplateData: "{}",
          },
        },
        BulkEmailEntries: email.entries.map((e) => ({
          Destination: { ToAddresses: [e.to] },
          ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(e.data) } },
          ReplacementHeaders: nameValues(e.headers),
          ...(e.tags ? { ReplacementTags: nameValues(e.tags) } : {}),
        })),
        ...(email.configurationSet ? { ConfigurationSetName: email.configurationSet } : {}),
        ...(email.tags ? { DefaultEmailTags: nameValues(email.tags) } : {}),
      }),
    );
    return (out.BulkEmailEntryResults ?? []).map((r) => ({
      status: r.Status ?? "FAILED",
      ...(r.MessageId ? { messageId: r.MessageId } : {}),
      ...(r.Error ? { error: r.Error } : {}),
    }));
  }
}
