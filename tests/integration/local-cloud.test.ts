import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../packages/local/src/ports";

const dataDir = mkdtempSync(join(tmpdir(), "mission-mail-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `npm start`'s entry point as a user would, on free ports and a temporary data folder. */
async function start(ports: { PORT: number; MAILBOX_PORT: number; DYNAMODB_PORT: number }) {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/local/src/start.ts"], {
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  for (let i = 0; i < 600 && !output.includes("Press Ctrl-C") && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  return { child, output: () => output, exited };
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

async function waitFree(port: number) {
  for (let i = 0; i < 100; i++) {
    if (await portIsFree(port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("npm start", () => {
  it("persists subscribers under the data folder across a restart, and stops cleanly on Ctrl-C", async () => {
    const ports = { PORT: await freePort(), MAILBOX_PORT: await freePort(), DYNAMODB_PORT: await freePort() };
    const first = await start(ports);
    expect(first.output()).toContain(`http://localhost:${ports.PORT}`);
    expect(first.output()).toContain(`http://127.0.0.1:${ports.MAILBOX_PORT}`);
    expect(first.output()).toMatch(/TOKEN_KEYS=local-/);
    const site = `http://localhost:${ports.PORT}`;
    const email = "restart@example.org";
    const res = await fetch(`${site}/api/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, language: "en", missions: ["mobility"], topics: ["news"], cadence: "monthly", consent: { newsletter: true, policyVersion: "2026-11" } }),
    });
    expect(res.status).toBe(202);
    let token: string | undefined;
    // The sign-up worker and then the sender run after the answer: allow them time on a busy machine.
    for (let i = 0; i < 300 && !token; i++) {
      const store = (await (await fetch(`http://127.0.0.1:${ports.MAILBOX_PORT}/store`)).json()) as { emails: { body: { text: string } }[] };
      token = /confirm\?token=([A-Za-z0-9_.-]+)/.exec(store.emails[0]?.body.text ?? "")?.[1];
      if (!token) await new Promise((r) => setTimeout(r, 100));
    }
    expect(token).toBeDefined();

    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("Stopped.");
    for (const port of Object.values(ports)) expect(await waitFree(port)).toBe(true);

    // After a restart the pending subscriber is still there: confirming works, and the next sign-up
    // of the same address is recognised as active.
    const second = await start(ports);
    expect(second.output()).not.toContain("table created");
    const confirmed = await fetch(`${site}/api/subscriptions/confirm`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
    expect(confirmed.status).toBe(200);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);

    const third = await start(ports);
    await fetch(`${site}/api/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, language: "en", missions: ["mobility"], topics: ["news"], cadence: "monthly", consent: { newsletter: true, policyVersion: "2026-11" } }),
    });
    let subjects: string[] = [];
    for (let i = 0; i < 300 && subjects.length === 0; i++) {
      const store = (await (await fetch(`http://127.0.0.1:${ports.MAILBOX_PORT}/store`)).json()) as { emails: { subject: string }[] };
      subjects = store.emails.map((e) => e.subject);
      if (!subjects.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(subjects).toEqual(["You already subscribe to Missions"]);

    // Killed outright, it leaves nothing holding its ports: DynamoDB Local dies with it.
    third.child.kill("SIGKILL");
    await third.exited;
    for (const port of Object.values(ports)) expect(await waitFree(port)).toBe(true);
  }, 120_000);

  it("says clearly which port is taken", async () => {
    const blocker = createServer();
    const taken = await freePort();
    await new Promise<void>((r) => blocker.listen(taken, "127.0.0.1", () => r()));
    try {
      const run = await start({ PORT: taken, MAILBOX_PORT: await freePort(), DYNAMODB_PORT: await freePort() });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${taken} (site and API) is already in use`);
      expect(run.output()).toContain("PORT=<port>");
    } finally {
      blocker.close();
    }
  });
});
