import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { Mailer, OutgoingEmail } from "../ports";

/** SES v2 implementation of the mailer: one SendEmail with Simple content, so headers are kept. */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;

  constructor(
    options: { region: string; endpoint?: string },
    private readonly from: string,
  ) {
    this.client = new SESv2Client({
      region: options.region,
      ...(options.endpoint
        ? { endpoint: options.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
    });
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: "UTF-8" },
            Body: { Html: { Data: email.html, Charset: "UTF-8" }, Text: { Data: email.text, Charset: "UTF-8" } },
            ...(email.headers
              ? { Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })) }
              : {}),
          },
        },
        ...(email.configurationSet ? { ConfigurationSetName: email.configurationSet } : {}),
        ...(email.tags ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
      }),
    );
    return { messageId: out.MessageId ?? "" };
  }
}
