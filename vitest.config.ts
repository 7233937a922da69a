import { defineConfig } from "vitest/config";

const env = { AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1" };

/**
 * Two projects. `unit` runs the use cases against in-memory fakes (tests/fakes) and never starts
 * DynamoDB Local; `npm run test:unit` runs it alone. `integration` holds everything that needs the
 * emulators or a synthesised app (integration, e2e, stacks) and shares one DynamoDB Local server.
 */
export default defineConfig({
  test: {
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
          exclude: ["tests/unit/**", "tests/reliability/**", "**/node_modules/**"],
          globalSetup: ["tests/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env,
        },
      },
    ],
  },
});
