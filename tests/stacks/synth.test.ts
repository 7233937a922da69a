import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "sst/constructs";
import { main, offlineProject } from "../../scripts/synth";

/**
 * `npm run synth`: the command writes every stack's CloudFormation template of a stage into a
 * directory, with no AWS account, and says what it wrote. Run here without bundling the functions,
 * which only changes their code (stacks.test.ts synthesizes with bundling).
 */

const STAGE = "review";
const STACKS = ["Storage", "Auth", "Mail", "Events", "Api", "Pipeline", "Monitoring"];
const CANARY = "canary-token-keys-synth-0123456789";

const dir = mkdtempSync(join(tmpdir(), "mission-mail-synth-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let code: number;
const out: string[] = [];
const err: string[] = [];
beforeAll(async () => {
  const saved = process.env.TOKEN_KEYS;
  process.env.TOKEN_KEYS = CANARY;
  try {
    code = await main(["--stage", STAGE, "--out", dir, "--no-bundle"], (l) => out.push(l), (l) => err.push(l));
  } finally {
    if (saved === undefined) delete process.env.TOKEN_KEYS;
    else process.env.TOKEN_KEYS = saved;
  }
}, 180_000);

describe("npm run synth", () => {
  it("succeeds with no unsuppressed cdk-nag error", () => {
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toContainEqual(expect.stringMatching(/^cdk-nag AwsSolutions: 0 unsuppressed errors, 0 unsuppressed warnings/));
  });

  it("writes one template per stack, named after the stack", () => {
    expect(readdirSync(dir).sort()).toEqual(STACKS.map((s) => `${STAGE}-mission-mail-${s}.template.json`).sort());
  });

  it("writes templates CloudFormation can take, and summarises each stack's resources", () => {
    for (const stack of STACKS) {
      const name = `${STAGE}-mission-mail-${stack}`;
      const template = JSON.parse(readFileSync(join(dir, `${name}.template.json`), "utf8"));
      const count = Object.keys(template.Resources).length;
      expect(count, name).toBeGreaterThan(0);
      expect(out, name).toContainEqual(expect.stringMatching(new RegExp(`^  ${name} +${count} resources$`)));
    }
    expect(out).toContainEqual(expect.stringMatching(/^7 stacks, stage "review", region \S+, in [\d.]+ s:$/));
    expect(out).toContainEqual(expect.stringContaining(`(7 files)`));
  });

  it("leaves the account to CloudFormation and carries no secret value", () => {
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text, file).not.toMatch(/\b\d{12}\b(?!\d)/);
      expect(text.includes(CANARY), file).toBe(false);
    }
    expect(readFileSync(join(dir, `${STAGE}-mission-mail-Storage.template.json`), "utf8")).toContain("AWS::AccountId");
  });

  it("refuses bad arguments with a clear message and exit code 2, before synthesizing", async () => {
    const messages: string[] = [];
    expect(await main(["--stage", "1prod"], () => undefined, (l) => messages.push(l))).toBe(2);
    expect(await main(["--account", "12345"], () => undefined, (l) => messages.push(l))).toBe(2);
    expect(await main(["--stag", "prod"], () => undefined, (l) => messages.push(l))).toBe(2);
    expect(messages[0]).toMatch(/^Invalid stage "1prod"/);
    expect(messages[1]).toMatch(/^Invalid account "12345"/);
    expect(messages[2]).toMatch(/--stag/);
    expect(messages[2]).toContain("Usage: npm run synth");
  });

  it("gives SST a working folder of its own, so synths in parallel processes do not race on one .sst/types", async () => {
    const work = mkdtempSync(join(tmpdir(), "mission-mail-synth-work-"));
    try {
      expect(await offlineProject(STAGE, work)).toBe(work);
      new App({ mode: "deploy", name: "mission-mail", stage: STAGE, region: "eu-north-1", account: "123456789012", isActiveStack: () => false }, { outdir: join(work, "out") });
      expect(readFileSync(join(work, "types", "index.ts"), "utf8")).toContain("ConfigTypes");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
