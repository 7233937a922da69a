import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order in which `npm test` starts its files: longest first, across all three projects, so that
 * no long file starts last while the other worker has nothing left to do. vitest's own order runs the
 * projects one after another (integration, stacks, unit), and without its cache of earlier durations
 * (a fresh `npm ci`, as in CI) orders files by size, which can start a browser file or the stack
 * files' synthesis minutes into the run.
 *
 * A file's expected duration is its duration in the last run where vitest's cache has it, otherwise
 * what files of its kind take on two cores (below); larger files of a kind first.
 */
const TYPICAL_SECONDS: [RegExp, number][] = [
  [/^tests\/e2e\//, 150],
  [/^tests\/stacks\//, 60],
  [/^tests\/integration\//, 10],
  [/^tests\/unit\//, 1],
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const expected = new Map<TestSpecification, [number, number]>();
    for (const spec of files) {
      const path = relative(root, spec.moduleId).split("\\").join("/");
      const key = `${spec.project.name}:${path}`;
      const cached = this.ctx.cache.getFileTestResults(key);
      const size = this.ctx.cache.getFileStats(key)?.size ?? 0;
      const typical = (TYPICAL_SECONDS.find(([pattern]) => pattern.test(path))?.[1] ?? 10) * 1000;
      // A failed file's duration says little; it runs as its kind usually does.
      expected.set(spec, [cached && !cached.failed ? cached.duration : typical, size]);
    }
    return [...files].sort((a, b) => {
      const [da, sa] = expected.get(a)!;
      const [db, sb] = expected.get(b)!;
      return db - da || sb - sa;
    });
  }
}

const env = { AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1" };

/**
 * Three projects. `unit` runs the use cases against in-memory fakes (tests/fakes) and never starts
 * DynamoDB Local; `npm run test:unit` runs it alone. `integration` holds everything that needs the
 * emulators (integration, e2e) and shares one DynamoDB Local server. `stacks` checks the synthesized
 * app, synthesized once per stage for all of its files.
 */
export default defineConfig({
  test: {
    // Two files at a time, also on two cores (vitest's default there is one): most integration, e2e
    // and stack files wait on DynamoDB Local, the SES emulator, Chromium or esbuild much of the time,
    // and each creates its own table, so they run side by side.
    maxWorkers: 2,
    // Longest files first, across the projects (LongestFirst above).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          // Unit files share their workers' module cache: no file mocks a module, and each builds its own fakes.
          isolate: false,
          testTimeout: 10_000,
          env,
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          // The load and durability suites run only in `npm run test:reliability` (vitest.reliability.config.ts).
          exclude: ["tests/unit/**", "tests/stacks/**", "tests/reliability/**", "**/node_modules/**"],
          globalSetup: ["tests/global-setup.ts"],
          // Files share their worker's module cache, as the unit files do: each file starts its own local
          // cloud (its own table, mailbox and queues) and restores what it sets in the environment, so
          // nothing leaks between files, and the handlers, the SDK and the emulators' modules load once
          // per worker rather than once per file (about a third of the project's CPU time).
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env,
        },
      },
      {
        test: {
          name: "stacks",
          include: ["tests/stacks/**/*.test.ts"],
          // The app is synthesized once per stage for all of the files (tests/stacks/synthesized.ts).
          globalSetup: ["tests/stacks/global-setup.ts"],
          // The files read the same synthesized app and share aws-cdk-lib's modules: loaded once per worker.
          isolate: false,
          testTimeout: 60_000,
          env,
        },
      },
    ],
  },
});
