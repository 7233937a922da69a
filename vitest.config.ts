import { defineConfig } from "vitest/config";

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
          testTimeout: 60_000,
          env,
        },
      },
    ],
  },
});
