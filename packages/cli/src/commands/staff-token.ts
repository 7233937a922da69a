import { DEFAULT_STAFF_TOKEN_SECONDS, LOCAL_STAFF_ISSUER, MAX_STAFF_TOKEN_SECONDS, groupsForRole, signStaffToken } from "@mission-mail/local/staff-issuer";
import { localDataDir, localSecrets, localSecretsFile } from "@mission-mail/local/secrets";
import { PUBLISHER_GROUP, STAFF_GROUP } from "@mission-mail/core/staff/identity";
import { UsageError, parseFlags, type Command } from "../router";

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Cognito group names: no whitespace, at most 128 characters. */
const GROUP = /^\S{1,128}$/;

/** Parses a lifetime such as `8h`, `30m`, `90s` or `3600` (seconds) into seconds. */
export function parseLifetime(text: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--ttl "${text}" is not a lifetime; use e.g. 8h, 30m or 90s.`);
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
  if (seconds < 1 || seconds > MAX_STAFF_TOKEN_SECONDS) throw new UsageError(`--ttl must be from 1s to ${MAX_STAFF_TOKEN_SECONDS / 3600}h.`);
  return seconds;
}

/**
 * `mm staff-token`: signs a staff token with the local issuer's key (kept in the data folder with the
 * other local secrets) and prints only the token, so `$(npm run -s mm -- staff-token …)` captures it.
 * The local API accepts it; Cognito-backed stages do not.
 */
export const staffTokenCommand: Command = {
  name: "staff-token",
  summary: "Print a staff token from the local issuer, for any identity and groups (local API only)",
  usage: "--email <address> [--role staff|publisher] [--group <name>]… [--sub <id>] [--ttl 8h]",
  help: [
    "  --email <address>  who the token names (recorded in the audit log)",
    `  --role <role>      "staff" (the ${STAFF_GROUP} group: drafts, previews, test sends, statistics) or "publisher"`,
    `                     (also ${PUBLISHER_GROUP}: approves, sends, schedules, pauses, cancels, retires missions)`,
    `  --group <name>     a group, repeatable; "${STAFF_GROUP}" is needed for the staff routes (without it they answer 403)`,
    "  --sub <id>         the subject id; default: derived from the address, the same every time",
    `  --ttl <lifetime>   how long the token lives: 90s, 30m, 8h (default ${DEFAULT_STAFF_TOKEN_SECONDS / 3600}h, at most ${MAX_STAFF_TOKEN_SECONDS / 3600}h)`,
    "",
    "The signing key is in <DATA_DIR>/local-secrets.json (DATA_DIR defaults to .data), shared with npm start.",
  ].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, {
      email: { type: "string" },
      group: { type: "string", multiple: true },
      role: { type: "string" },
      sub: { type: "string" },
      ttl: { type: "string" },
    });
    const email = values.email?.trim();
    if (!email) throw new UsageError("--email is required.");
    if (!ADDRESS.test(email)) throw new UsageError(`--email "${email}" is not an email address.`);
    if (values.role !== undefined && values.role !== "staff" && values.role !== "publisher") throw new UsageError(`--role is "staff" or "publisher", not "${values.role}".`);
    const groups = [...(values.role ? groupsForRole(values.role) : []), ...(values.group ?? [])];
    const badGroup = groups.find((g) => !GROUP.test(g));
    if (badGroup !== undefined) throw new UsageError(`--group "${badGroup}" is not a group name (no spaces, 1 to 128 characters).`);
    if (values.sub !== undefined && !/^[\w.:@-]{1,128}$/.test(values.sub)) throw new UsageError("--sub must be 1 to 128 letters, digits or . _ : @ -");
    const lifetimeSeconds = values.ttl === undefined ? DEFAULT_STAFF_TOKEN_SECONDS : parseLifetime(values.ttl);

    const dataDir = localDataDir();
    const { STAFF_SIGNING_KEY } = localSecrets(dataDir);
    const now = Date.now();
    const token = await signStaffToken(STAFF_SIGNING_KEY!, { email, groups: [...new Set(groups)], lifetimeSeconds, now, ...(values.sub ? { sub: values.sub } : {}) });
    io.out(token);
    const until = new Date(now + lifetimeSeconds * 1000).toISOString();
    io.err(`Staff token from ${LOCAL_STAFF_ISSUER} (key in ${localSecretsFile(dataDir)}), groups: ${groups.length ? groups.join(", ") : "none"}, valid until ${until}.`);
    if (!groups.includes(STAFF_GROUP) && !groups.includes(PUBLISHER_GROUP)) io.err(`Without --role staff (or --group ${STAFF_GROUP}), staff routes answer 403 to this token.`);
  },
};
