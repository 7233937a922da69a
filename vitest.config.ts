import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The load and durability suites run only in `npm run test:reliability` (vitest.reliability.config.ts).
    exclude: ["tests/reliability/**", "**/node_modules/**"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: "1" },
  },
});
