import { join } from "node:path";
import { CONTENT_SOURCE } from "@mission-mail/core/content/schema";
import { sampleContent } from "@mission-mail/core/content/sample";
import { startLocalCloud } from "./cloud";
import { indexPage } from "./index-page";
import { localDataDir, localSecrets, localSecretsFile } from "./secrets";
import { groupsForRole, signStaffToken } from "./staff-issuer";

/**
 * `npm start`: the whole pipeline on this machine, no AWS account. Ports and the data folder can be
 * changed with PORT, MAILBOX_PORT, DYNAMODB_PORT and DATA_DIR.
 */
const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${process.env[name]}"`);
  return value;
};

async function main() {
  const dataDir = localDataDir();
  const secrets = localSecrets(dataDir);
  const started = Date.now();
  console.log("Starting Mission Mail locally…");
  const cloud = await startLocalCloud({
    httpPort: port("PORT", 3000),
    mailboxPort: port("MAILBOX_PORT", 8005),
    dynamodbPort: port("DYNAMODB_PORT", 8000),
    dataDir: join(dataDir, "dynamodb"),
    tableName: process.env.TABLE_NAME ?? "mission-mail-local",
    secrets,
    schedules: true,
    // SES_FORWARD_URL sends through another SES v2 endpoint instead of the mailbox (the reliability
    // suite's counting sink, which outlives this process).
    ...(process.env.SES_FORWARD_URL ? { sesEndpoint: () => process.env.SES_FORWARD_URL! } : {}),
    extraRoutes: (req, res, url) => {
      if (req.method !== "GET" || url.pathname !== "/") return false;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(indexPage(cloud.urls));
      return true;
    },
  });
  const { urls } = cloud;
  if (cloud.createdTable) {
    // A fresh stack gets sample content through the same path as the CMS's events.
    await cloud.bus.publish(sampleContent(Date.now()).map((e) => ({ source: CONTENT_SOURCE, detailType: e.type, detail: e.item })));
    await cloud.idle();
  }
  // A fresh token for the console, in the URL's fragment: browsers never send fragments to a server.
  const consoleToken = secrets.STAFF_SIGNING_KEY
    ? await signStaffToken(secrets.STAFF_SIGNING_KEY, { email: process.env.STAFF_TOKEN_EMAIL ?? "local-staff@example.org", groups: groupsForRole("publisher") })
    : undefined;
  console.log(`
Mission Mail is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s${cloud.createdTable ? ", table created, missions and sample content seeded" : ""}).

  Missions pages   ${urls.site}/missions   (sign up here, in a browser)
  Site and API     ${urls.site}
  Staff console    ${urls.site}/staff${consoleToken ? `#token=${consoleToken}` : ""}
                   (signed in as a local staff member for 8 hours; or open ${urls.site}/staff and paste a token)
  Mailbox          ${urls.mailbox}   (every email sent; JSON at ${urls.mailbox}/store)
  DynamoDB Local   ${urls.dynamodb}   (table ${cloud.tableName}, data in ${join(dataDir, "dynamodb")})

  Try it:
    curl ${urls.api}/missions
    curl ${urls.api}/consent
    curl -X POST ${urls.api}/subscriptions -H 'content-type: application/json' \\
      -d '{"email":"you@example.org","language":"en","missions":["food-system"],"topics":["seminar"],"cadence":"weekly","consent":{"newsletter":true,"policyVersion":"2026-11"}}'

  Publish content as a CMS would (signed webhook):
    BODY='{"type":"content.published","item":{"id":"my-seminar","version":1,"kind":"seminar","missions":["food-system"],"language":"en","title":"My seminar","summary":"What it is about.","url":"https://missions.example.org/my-seminar","publishedAt":"2026-11-20T09:00:00Z","startsAt":"2027-01-14T09:00:00+01:00","endsAt":"2027-01-14T11:00:00+01:00","location":"Stockholm"}}'
    curl -X POST ${urls.site}/webhooks/content -H 'content-type: application/json' \\
      -H "X-Signature-256: sha256=$(printf %s "$BODY" | openssl dgst -sha256 -hmac '${secrets.WEBHOOK_SECRET}' -r | cut -d' ' -f1)" -d "$BODY"

  Simulate SES feedback for an email in the mailbox (bounce, soft-bounce, complaint, delivery, …):
    curl -X POST ${urls.site}/_local/ses-events -H 'content-type: application/json' -d '{"type":"bounce","messageId":"<id from the mailbox>"}'

  Send this week's digest now (staff):
    curl -X POST ${urls.api}/staff/digests/run -H 'authorization: Bearer ${secrets.STAFF_TOKEN}' -H 'content-type: application/json' -d '{"cadence":"weekly"}'

  Staff sign-in as anyone (a token from the local issuer, 8 hours): --role staff drafts, previews and
  test-sends; --role publisher also approves and sends (an approval must come from another address):
    TOKEN=$(npm run -s mm -- staff-token --email you@example.org --role publisher)
    curl ${urls.api}/staff/audit -H "authorization: Bearer $TOKEN"

  Local secrets (kept in ${localSecretsFile(dataDir)}, with the local staff issuer's key):
    TOKEN_KEYS=${secrets.TOKEN_KEYS}
    ADDRESS_PEPPER=${secrets.ADDRESS_PEPPER}
    IP_SALT=${secrets.IP_SALT}
    WEBHOOK_SECRET=${secrets.WEBHOOK_SECRET}
    STAFF_TOKEN=${secrets.STAFF_TOKEN}

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await cloud.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  console.error(`\nCould not start Mission Mail: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
