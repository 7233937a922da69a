const SECRET_NAMES = ["TOKEN_KEYS", "ADDRESS_PEPPER", "IP_SALT", "WEBHOOK_SECRET"] as const;

/**
 * In AWS, secrets are SST secrets bound to the function: SST sets `SST_Secret_value_<NAME>` to
 * "__FETCH_FROM_SSM__" and keeps the value in SSM under the stage's prefix, with an app-wide fallback.
 * They are fetched here, once, on the first invocation (never at module top level), with one
 * GetParameters call, and put into the environment the configuration is read from. This is what
 * `sst/node/config` does, without bundling SST's own SDK copy. Locally nothing is bound, and this
 * does nothing.
 */
export async function loadSstSecrets(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const wanted = SECRET_NAMES.filter((n) => env[`SST_Secret_value_${n}`] === "__FETCH_FROM_SSM__" && env[n] === undefined);
  if (!wanted.length) return;
  const { ssmParameters } = await import("./ssm-parameters");
  const fetch = ssmParameters(env.SST_REGION ?? env.AWS_REGION);
  const stagePath = (n: string) => `${env.SST_SSM_PREFIX}Secret/${n}/value`;
  const fallbackPath = (n: string) => `/sst/${env.SST_APP}/.fallback/Secret/${n}/value`;
  for (const p of await fetch(wanted.map(stagePath))) env[wanted.find((n) => stagePath(n) === p.Name)!] = p.Value;
  const missing = wanted.filter((n) => env[n] === undefined);
  if (missing.length) for (const p of await fetch(missing.map(fallbackPath))) env[missing.find((n) => fallbackPath(n) === p.Name)!] = p.Value;
  const unset = wanted.filter((n) => env[n] === undefined);
  if (unset.length) throw new Error(`Secrets not set for stage "${env.SST_STAGE}": ${unset.join(", ")} (npx sst secrets set <NAME> <value>)`);
}
