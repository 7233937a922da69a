import { spawn } from "node:child_process";

/**
 * `npm test`: the type check of both TypeScript projects (the app, and the browser code with its DOM
 * library) runs beside the test run rather than before it. Most test files wait on DynamoDB Local,
 * the SES emulator or Chromium much of the time, so the type check fits into the cores they leave
 * idle. Type errors are printed as soon as the check ends; the command fails if either part fails.
 * Arguments go to vitest (`npm test -- tests/unit`).
 */

const bin = (name: string) => `node_modules/.bin/${name}`;

/** Runs a command; its output is kept and answered with its exit code, or passed straight through. */
function run(command: string, args: string[], passThrough: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: passThrough ? "inherit" : ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (e) => resolve({ code: 1, output: `${command}: ${e.message}\n` }));
    child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const typecheck = (async () => {
  for (const project of ["tsconfig.json", "packages/web/src/client/tsconfig.json"]) {
    const { code, output } = await run(bin("tsc"), ["--noEmit", "-p", project], false);
    if (code !== 0) {
      process.stderr.write(`\nThe type check of ${project} failed (the tests go on):\n${output}\n`);
      return code;
    }
  }
  return 0;
})();
const tests = run(bin("vitest"), ["run", ...process.argv.slice(2)], true);

const [typeErrors, testRun] = await Promise.all([typecheck, tests]);
if (typeErrors !== 0) process.stderr.write("npm test failed: the type check found errors (printed above).\n");
process.exit(typeErrors || testRun.code);
