import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../packages/local/src/ports";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `npm start` as its own process (the Node process itself, as `npm start` runs it), for the suites that need to kill it. */
export interface LocalProcess {
  child: ChildProcess;
  site: string;
  ports: { http: number; mailbox: number; dynamodb: number };
  secrets: Record<string, string>;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

export async function freePorts() {
  return { http: await freePort(), mailbox: await freePort(), dynamodb: await freePort() };
}

/** Starts the local stack on these ports and data folder and waits until it says it is running. */
export async function startLocalProcess(options: { dataDir: string; ports: { http: number; mailbox: number; dynamodb: number }; env?: Record<string, string> }): Promise<LocalProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/local/src/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      PORT: String(options.ports.http),
      MAILBOX_PORT: String(options.ports.mailbox),
      DYNAMODB_PORT: String(options.ports.dynamodb),
      AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d.toString()));
  child.stderr!.on("data", (d) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!output.includes("Mission Mail is running")) {
    if (child.exitCode !== null) throw new Error(`The local stack exited while starting:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The local stack did not start within 2 minutes:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const secrets = JSON.parse(readFileSync(join(options.dataDir, "local-secrets.json"), "utf8")) as Record<string, string>;
  return { child, site: `http://localhost:${options.ports.http}`, ports: options.ports, secrets, output: () => output, exited };
}
