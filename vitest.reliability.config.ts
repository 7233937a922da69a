import { defineConfig } from "vitest/config";

/**
 * `npm run test:reliability`: the reliability suite at full size. The fault and bad-input suites
 * also run in `npm test` at a smaller size; the load and durability suites run only here.
 */
export default defineConfig({
  test: {
    include: ["tests/reliability/**/*.test.ts", "tests/integration/faults.test.ts", "tests/integration/bad-input.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    // One suite at a time: each measures, and they must not compete for the machine.
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    env: { AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1", FAULT_RECIPIENTS: "10000", BAD_INPUT_RUNS: "10000" },
  },
});
