import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startLocalCloud } from "./cloud";
import { indexPage } from "./index-page";

/**
 * `npm start`: the whole pipeline on this machine, no AWS account. Ports and the data folder can be
 * changed with PORT, MAILBOX_PORT, DYNAMODB_PORT and DATA_DIR.
 */
const port = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${process.env[name]}"`);
  return value;
};

/** Local secrets are made once and kept in the data folder, so links in old emails keep working. */
function localSecrets(dataDir: string) {
  const file = join(dataDir, "local-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { TOKEN_KEYS: string; ADDRESS_PEPPER: string; IP_SALT: string };
  const secrets = {
    TOKEN_KEYS: `local-${randomBytes(18).toString("base64url")}`,
    ADDRESS_PEPPER: `local-${randomBytes(18).toString("base64url")}`,
    IP_SALT: `local-${randomBytes(18).toString("base64url")}`,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function main() {
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  mkdirSync(dataDir, { recursive: true });
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
    extraRoutes: (req, res, url) => {
      if (req.method !== "GET" || url.pathname !== "/") return false;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(indexPage(cloud.urls));
      return true;
    },
  });
  const { urls } = cloud;
  console.log(`
Mission Mail is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s${cloud.createdTable ? ", table created and missions seeded" : ""}).

  Site and API     ${urls.site}
  Mailbox          ${urls.mailbox}   (every email sent; JSON at ${urls.mailbox}/store)
  DynamoDB Local   ${urls.dynamodb}   (table ${cloud.tableName}, data in ${join(dataDir, "dynamodb")})

  Try it:
    curl ${urls.api}/missions
    curl ${urls.api}/consent
    curl -X POST ${urls.api}/subscriptions -H 'content-type: application/json' \\
      -d '{"email":"you@example.org","language":"en","missions":["food-system"],"topics":["seminar"],"cadence":"weekly","consent":{"newsletter":true,"policyVersion":"2026-11"}}'

  Local secrets (kept in ${join(dataDir, "local-secrets.json")}):
    TOKEN_KEYS=${secrets.TOKEN_KEYS}
    ADDRESS_PEPPER=${secrets.ADDRESS_PEPPER}
    IP_SALT=${secrets.IP_SALT}

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
