import { layout } from "@mission-mail/web/layout";

/** The local start page: where everything is. */
export function indexPage(urls: { site: string; mailbox: string; dynamodb: string }): string {
  return layout(
    "en",
    "Local development",
    `<h1>Mission Mail, running locally</h1>
<ul>
  <li><a href="/api/missions">Missions catalogue</a> (GET /api/missions)</li>
  <li><a href="/api/consent">Current consent text</a> (GET /api/consent)</li>
  <li><a href="${urls.mailbox}">Local mailbox</a>: every email the pipeline sends</li>
</ul>
<p>DynamoDB Local listens on <code>${urls.dynamodb}</code>.</p>`,
  );
}
